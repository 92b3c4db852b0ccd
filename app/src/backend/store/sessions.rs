//! Server-side sessions (SEC-2) in the shared database, so several instances share them and a
//! sign-out or password reset ends them everywhere.

use sqlx::AnyConnection;

/// Inserts a new session; false when the ID is already taken (the caller picks another).
pub async fn insert_new(
    conn: &mut AnyConnection,
    id: &str,
    data: &str,
    user_id: Option<&str>,
    expiry_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO sessions (id, data, user_id, expiry_date) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(data)
    .bind(user_id)
    .bind(expiry_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn save(
    conn: &mut AnyConnection,
    id: &str,
    data: &str,
    user_id: Option<&str>,
    expiry_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, data, user_id, expiry_date) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, user_id = excluded.user_id, expiry_date = excluded.expiry_date",
    )
    .bind(id)
    .bind(data)
    .bind(user_id)
    .bind(expiry_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The session's data and expiry, if it exists and has not expired.
pub async fn load(conn: &mut AnyConnection, id: &str, now_ms: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2")
        .bind(id)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Ends every session of a user (password reset, LOG-4; password change elsewhere, PRO-1).
pub async fn delete_for_user(conn: &mut AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

/// Deletes up to `limit` expired sessions (called periodically, indexed by expiry).
pub async fn delete_expired(conn: &mut AnyConnection, now_ms: i64, limit: i64) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expiry_date <= $1 LIMIT $2)")
            .bind(now_ms)
            .bind(limit)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected())
}
