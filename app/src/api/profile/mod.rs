//! The signed-in person's own profile (PRO): one server function file per section.

pub mod addresses;
pub mod phones;
