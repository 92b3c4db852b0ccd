//! The server-only backend (feature `ssr`): use cases, the SQL store, mail and security helpers.

pub mod authz;
pub mod clock;
pub mod db;
pub mod device_cookie;
pub mod error;
pub mod mail;
pub mod password;
pub mod services;
pub mod settings;
pub mod state;
pub mod store;

pub use clock::{Clock, SystemClock, TestClock};
pub use db::{Db, DbKind};
pub use error::{ServiceError, StoreError};
pub use state::{AppConfig, AppState};

/// A new UUIDv7 as text: sortable, and not guessable in URLs (DESIGN.md "Database").
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
