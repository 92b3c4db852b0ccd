//! Secrets every server instance must share (SEC-4's device-cookie key), generated once at run
//! time and kept in the database — not in `settings`, which admins read, and never logged.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;

/// The secret called `name`; the first caller stores `generate()`'s value, and every instance
/// then reads that same value (a racing second insert is ignored).
pub async fn get_or_create(
    conn: &mut AnyConnection,
    name: &str,
    generate: impl FnOnce() -> String,
    now_ms: i64,
) -> Result<String, StoreError> {
    if let Some(value) = get(conn, name).await? {
        return Ok(value);
    }
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(generate())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    get(conn, name).await?.ok_or(StoreError::NotFound)
}

async fn get(conn: &mut AnyConnection, name: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(value,)| value))
}
