//! E-mail (NOT-1, NOT-3, NOT-4): templates rendered to final messages, queued in the outbox
//! inside the caller's transaction.
