//! OPS-4: liveness and readiness.

use std::future::Future;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Extension;

use app::backend::AppState;

/// How long readiness waits for the database. While PostgreSQL is down or restarting, the pool
/// keeps trying to connect until its acquire timeout (10 s), so an unbounded probe hangs for the
/// whole outage instead of failing (issue 11's soak: during a 5-second restart `/readyz` gave no
/// answer at all); load balancers and orchestrators need a prompt 503.
pub const READY_WITHIN: Duration = Duration::from_secs(2);

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers within [`READY_WITHIN`].
pub async fn readyz(Extension(state): Extension<AppState>) -> (StatusCode, &'static str) {
    readiness(state.db.ping(), READY_WITHIN).await
}

async fn readiness<E: std::fmt::Display>(
    ping: impl Future<Output = Result<(), E>>,
    within: Duration,
) -> (StatusCode, &'static str) {
    match tokio::time::timeout(within, ping).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::error!(waited_ms = within.as_millis() as u64, "database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: OPS-4
    #[tokio::test]
    async fn a_database_that_does_not_answer_in_time_is_not_ready() {
        let hung = std::future::pending::<Result<(), std::io::Error>>();
        let started = std::time::Instant::now();
        let (status, body) = readiness(hung, Duration::from_millis(50)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body, "database unreachable");
        assert!(started.elapsed() < Duration::from_secs(2), "answered promptly: {:?}", started.elapsed());
    }

    // covers: OPS-4
    #[tokio::test]
    async fn a_database_that_answers_is_ready_and_one_that_fails_is_not() {
        let (status, _) = readiness(async { Ok::<(), std::io::Error>(()) }, READY_WITHIN).await;
        assert_eq!(status, StatusCode::OK);
        let refused = async { Err::<(), _>(std::io::Error::other("connection refused")) };
        let (status, _) = readiness(refused, READY_WITHIN).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
