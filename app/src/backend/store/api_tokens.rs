//! API-1 access tokens: only their SHA-256 is stored, with the integration user and the expiry.
//! A token answers only while it is unexpired and its integration user is active.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;

/// How many expired tokens one issue deletes at most (keeps each write cheap).
const EXPIRED_PER_WRITE: i64 = 100;

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    integration_user_id: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, integration_user_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(integration_user_id)
    .bind(now_ms)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM api_tokens WHERE token_hash IN \
           (SELECT token_hash FROM api_tokens WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
    )
    .bind(now_ms)
    .bind(EXPIRED_PER_WRITE)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The integration user a live token was issued to, if the token is known and unexpired and
/// that integration user is active now (API-1: inactive answers nothing, at once).
pub async fn holder(conn: &mut AnyConnection, token_hash: &str, now_ms: i64) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT i.id FROM api_tokens t JOIN integration_users i ON i.id = t.integration_user_id \
         WHERE t.token_hash = $1 AND t.expires_at > $2 AND i.status = 'active'",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Every token of the integration user stops working (inactivated, or a new secret).
pub async fn revoke_all(conn: &mut AnyConnection, integration_user_id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE integration_user_id = $1")
        .bind(integration_user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
