//! HTTP middleware: request IDs, client address, CSRF origin check, rate limits, security
//! headers, NUL characters. Each is an `axum::middleware::from_fn` so the order reads top-down in startup.rs.

pub mod client_ip;
pub mod csrf;
pub mod nul_bytes;
pub mod password_change;
pub mod rate_limit;
pub mod request_id;
pub mod rpc_errors;
pub mod security_headers;
