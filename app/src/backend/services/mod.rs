//! Use cases: one function per user action, each owning its transaction (STYLE.md).

pub mod accounts;
pub mod approval_steps;
pub mod approvals;
pub mod bootstrap;
pub mod enrollments;
pub mod password_change;
pub mod registration;
pub mod sign_in;

use std::collections::HashMap;

/// A submitted form: field name → value, as posted (HTML form or server function).
pub type Fields = HashMap<String, String>;

pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}
