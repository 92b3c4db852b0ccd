//! Server functions (one per file, grouped by area) and the types that cross the wire. Each
//! is a thin adapter: parse input, find the caller, call one use case, map the error.

pub mod admin;
pub mod approvals;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod capability;
pub mod company;
pub mod console;
pub mod error;
pub mod profile;
pub mod register;
pub mod session_scope;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod types;

pub use error::AppError;

/// Where every server function lives. `/api/v1` is the integration API's (SPEC §13); the two
/// never mix, and the middleware (rate limits, CSRF, the LOG-3 gate) matches on this prefix.
pub const RPC_PREFIX: &str = "/rpc/";
