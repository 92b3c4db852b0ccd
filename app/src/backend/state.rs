//! What every request handler and server function shares: the database, clock, hasher and
//! configuration. Provided to Leptos as context and to axum as state.

use std::sync::Arc;

use super::clock::Clock;
use super::db::Db;
use super::password::PasswordHasher;

/// The part of the configuration the backend needs (the server's `Config` fills it).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Base of links in e-mails (`GATEHOUSE_PUBLIC_URL`), without a trailing slash.
    pub public_url: String,
    /// `off` disables per-client-address limits (`GATEHOUSE_IP_RATE_LIMIT`).
    pub ip_rate_limit: bool,
}

impl AppConfig {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// REG-8: an external directory that usernames must also be unique in (none by default).
#[async_trait::async_trait]
pub trait UsernameDirectory: Send + Sync + 'static {
    async fn is_taken(&self, lower_username: &str) -> bool;
}

pub struct NoDirectory;

#[async_trait::async_trait]
impl UsernameDirectory for NoDirectory {
    async fn is_taken(&self, _lower_username: &str) -> bool {
        false
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub config: Arc<AppConfig>,
    pub directory: Arc<dyn UsernameDirectory>,
}

impl AppState {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
