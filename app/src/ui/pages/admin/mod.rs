//! Company administration by primary users (SPEC §7).

pub mod contacts;
