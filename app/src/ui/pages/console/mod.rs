//! The merchant console (SPEC §9): one module per area.

pub mod home;
pub mod integrations;
pub mod user_types;
pub mod settings;
