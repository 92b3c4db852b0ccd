//! API-6: `Idempotency-Key`s per client. The first request with a key claims it (its answer is
//! stored when it ends); a repeat within 24 hours reads that answer instead of running again.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;

/// How many expired keys one claim deletes at most.
const EXPIRED_PER_WRITE: i64 = 100;

/// The answer stored for a key (`status` is `None` while the first request still runs).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status: Option<i64>,
    pub content_type: Option<String>,
    pub response_body: Option<String>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or its earlier use expired): this request runs and its answer is stored.
    Claimed,
    /// The key was used before, within its lifetime.
    Used(StoredAnswer),
}

/// Claims `key` for `client` and the request whose hash is `request_hash`, or answers what
/// its earlier use stored. One statement decides a race: the primary key lets only one insert.
pub async fn claim(
    conn: &mut AnyConnection,
    client: &str,
    key: &str,
    request_hash: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<Claim, StoreError> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE (integration_user_id = $1 AND idempotency_key = $2 AND expires_at <= $3) \
         OR (integration_user_id, idempotency_key) IN (SELECT integration_user_id, idempotency_key FROM idempotency_keys \
             WHERE expires_at <= $3 ORDER BY expires_at LIMIT $4)",
    )
    .bind(client)
    .bind(key)
    .bind(now_ms)
    .bind(EXPIRED_PER_WRITE)
    .execute(&mut *conn)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (integration_user_id, idempotency_key, request_hash, status, content_type, \
           response_body, created_at, expires_at) VALUES ($1, $2, $3, NULL, NULL, NULL, $4, $5) \
         ON CONFLICT (integration_user_id, idempotency_key) DO NOTHING",
    )
    .bind(client)
    .bind(key)
    .bind(request_hash)
    .bind(now_ms)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() > 0 {
        return Ok(Claim::Claimed);
    }
    let stored: Option<StoredAnswer> = sqlx::query_as(
        "SELECT request_hash, status, content_type, response_body FROM idempotency_keys \
         WHERE integration_user_id = $1 AND idempotency_key = $2",
    )
    .bind(client)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    // Deleted between the two statements (its first request failed): nothing to repeat.
    Ok(stored.map_or(Claim::Claimed, Claim::Used))
}

/// Stores the answer of the request that claimed the key.
pub async fn complete(
    conn: &mut AnyConnection,
    client: &str,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, response_body = $3 \
         WHERE integration_user_id = $4 AND idempotency_key = $5",
    )
    .bind(i64::from(status))
    .bind(content_type)
    .bind(body)
    .bind(client)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Releases a claim whose request changed nothing (it failed on the server's side): a retry
/// with the same key runs again.
pub async fn release(conn: &mut AnyConnection, client: &str, key: &str) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE integration_user_id = $1 AND idempotency_key = $2 AND status IS NULL",
    )
    .bind(client)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
