//! All SQL lives here: portable statements with `$1` placeholders over the `Any` driver, rows
//! converted to domain values in one place, constraint violations translated once.

pub mod accounts;
pub mod approvals;
pub mod approvers;
pub mod audit;
pub mod organizations;
pub mod outbox;
pub mod persons;
pub mod requests;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod user_types;
pub mod users;

/// Booleans are stored as INTEGER 0/1 (the `Any` driver decodes no BOOLEAN).
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}
