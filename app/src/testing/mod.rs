//! Test support, compiled only for tests (cargo feature `testing`, never enabled by the
//! production build): the databases every use-case and HTTP test runs on, and the fixtures
//! (persons, companies, staff, approvers, definitions) the tests share.
//!
//! ```text
//! for_each_database(|db| async move {
//!     let state = migrated_state(&db.url, TestClock::at(T0)).await;
//!     let acme = company(&state, "Acme Tools", "pat.owner").await;
//!     assert!(…, "{}", db.label);
//! })
//! .await;
//! ```

mod access;
mod adapters;
mod databases;
mod fixtures;
mod integrations;
mod profile;

pub use access::*;
pub use adapters::*;
pub use databases::*;
pub use fixtures::*;
pub use integrations::*;
pub use profile::*;
