//! The merchant console (SPEC §9): one module per area.

pub mod activity;
pub mod approval_groups;
pub mod approval_setup;
pub mod catalog;
pub mod customer_import;
pub mod enrollments;
pub mod home;
pub mod integrations;
pub mod records;
pub mod settings;
pub mod sites;
pub mod user_actions;
pub mod user_types;
pub mod users;
