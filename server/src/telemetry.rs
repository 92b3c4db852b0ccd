//! Structured logs (OPS-4): JSON lines when `GATEHOUSE_LOG_FORMAT=json`, readable text
//! otherwise; level from `RUST_LOG` (default `info`).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let json = std::env::var("GATEHOUSE_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = fmt().with_env_filter(filter).with_target(false);
    let result = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
    // A second init (tests spawning several apps) keeps the first subscriber.
    let _ = result;
}

/// A request path as logs may show it. SEC-7: the token of a set-password link (LOG-4) is a
/// secret, so only its route is kept.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/password/reset/") {
        "/password/reset/{token}"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    // covers: SEC-7, LOG-4
    #[test]
    fn a_set_password_links_token_never_reaches_the_log() {
        assert_eq!(loggable_path("/password/reset/abcDEF123_-"), "/password/reset/{token}");
        assert_eq!(loggable_path("/password/change"), "/password/change");
    }
}
