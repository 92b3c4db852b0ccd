//! The company pages of a business user (PRO-5, PRO-6), limited to their own organization.

pub mod administrators;
pub mod profile;
