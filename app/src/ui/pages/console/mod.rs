//! The merchant console (SPEC §9): one module per area.

pub mod activity;
pub mod home;
pub mod integrations;
pub mod settings;
pub mod user_actions;
pub mod user_types;
pub mod users;
