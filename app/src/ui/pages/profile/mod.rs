//! The signed-in person's profile (PRO-1 … PRO-4): one module per section.

pub mod addresses;
pub mod phones;
