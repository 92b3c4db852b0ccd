//! The outbox table (NOT-3).
