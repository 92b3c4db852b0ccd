//! Use cases: one function per user action, each owning its transaction (STYLE.md).

pub mod accounts;
pub mod admin;
pub mod approval_steps;
pub mod approvals;
pub mod bootstrap;
pub mod company_profile;
pub mod console;
pub mod contact_book;
pub mod email_addresses;
pub mod enrollments;
pub mod integration_api;
pub mod integrations;
pub mod login_help;
pub mod password_change;
pub mod profile;
pub mod registration;
pub mod session_scope;
pub mod sign_in;
