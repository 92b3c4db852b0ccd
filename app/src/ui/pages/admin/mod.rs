//! Company administration by primary users (SPEC §7): one module per area.

pub mod access;
pub mod contacts;
pub mod roles;
