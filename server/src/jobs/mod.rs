//! Background jobs that run inside the server process and claim work with leases.

pub mod outbox;
pub mod approval_timeouts;
