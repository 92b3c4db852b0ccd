//! The merchant console (SPEC §9): one module per area.

pub mod home;
