//! SEC-4 per-username failure counters, updated atomically in SQL (no read-then-write race).
//! Keyed by the lower-cased username whether or not it exists, so locks reveal nothing.

use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct Failures {
    pub failures: i64,
    pub last_failure_at: i64,
    pub locked_until: Option<i64>,
}

pub async fn get(conn: &mut AnyConnection, lower_username: &str) -> Result<Option<Failures>, sqlx::Error> {
    sqlx::query_as("SELECT failures, last_failure_at, locked_until FROM sign_in_failures WHERE lower_username = $1")
        .bind(lower_username)
        .fetch_optional(&mut *conn)
        .await
}

/// Counts one failure; reaching `lock_after` locks until `now + lock_ms`. A failure after an
/// expired lock starts a new count.
pub async fn record_failure(
    conn: &mut AnyConnection,
    lower_username: &str,
    now_ms: i64,
    lock_after: i64,
    lock_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_failures (lower_username, failures, last_failure_at, locked_until) \
         VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (lower_username) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.locked_until IS NOT NULL AND sign_in_failures.locked_until <= $2 \
                           THEN 1 ELSE sign_in_failures.failures + 1 END, \
           locked_until = CASE WHEN sign_in_failures.locked_until IS NOT NULL AND sign_in_failures.locked_until <= $2 \
                               THEN NULL \
                               WHEN sign_in_failures.failures + 1 >= $3 THEN $4 \
                               ELSE sign_in_failures.locked_until END, \
           last_failure_at = $2",
    )
    .bind(lower_username)
    .bind(now_ms)
    .bind(lock_after)
    .bind(now_ms + lock_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn clear(conn: &mut AnyConnection, lower_username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE lower_username = $1")
        .bind(lower_username)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
