//! Background jobs that run inside the server process and claim work with leases.

pub mod approval_timeouts;
pub mod login_help;
pub mod outbox;
pub mod smtp_url;
pub mod user_disables;
