//! Pending e-mail addresses (PRO-1, PRO-2): an address waits here with the SHA-256 of its
//! single-use confirmation link until the link is followed; only then is it stored among the
//! person's addresses (so forgot-login, LOG-4, never finds an address nobody proved to hold).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;

/// A confirmation link's request: whose, which address, and whether it becomes primary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAddress {
    pub person_id: String,
    pub user_id: String,
    pub address: String,
    pub make_primary: bool,
}

#[derive(FromRow)]
struct PendingRow {
    person_id: String,
    user_id: String,
    address: String,
    make_primary: i64,
}

impl From<PendingRow> for PendingAddress {
    fn from(row: PendingRow) -> Self {
        Self {
            person_id: row.person_id,
            user_id: row.user_id,
            address: row.address,
            make_primary: row.make_primary != 0,
        }
    }
}

pub struct NewConfirmation<'a> {
    pub token_hash: &'a str,
    pub person_id: &'a str,
    pub user_id: &'a str,
    pub address: &'a str,
    pub make_primary: bool,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewConfirmation<'_>, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO email_confirmations \
           (token_hash, person_id, user_id, address, make_primary, expires_at, used_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
    )
    .bind(new.token_hash)
    .bind(new.person_id)
    .bind(new.user_id)
    .bind(new.address)
    .bind(super::flag(new.make_primary))
    .bind(new.expires_at)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The request of a link that is neither used nor expired.
pub async fn live(
    conn: &mut AnyConnection,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<PendingAddress>, StoreError> {
    let row: Option<PendingRow> = sqlx::query_as(
        "SELECT person_id, user_id, address, make_primary FROM email_confirmations \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(PendingAddress::from))
}

/// Marks a live link used in one statement, so it works once only; its request, or nothing
/// when it was not live.
pub async fn use_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<PendingAddress>, StoreError> {
    let row: Option<PendingRow> = sqlx::query_as(
        "UPDATE email_confirmations SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING person_id, user_id, address, make_primary",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(PendingAddress::from))
}

/// Ends every outstanding link of a person: after one is followed (PRO-1), and when the
/// password changes, so whoever takes an account back also stops a change they did not ask for.
pub async fn invalidate_for_person(conn: &mut AnyConnection, person_id: &str, now_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE email_confirmations SET used_at = $2 WHERE person_id = $1 AND used_at IS NULL")
        .bind(person_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// The same, for the person behind a login (password change and reset know the user).
pub async fn invalidate_for_user(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE email_confirmations SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// The addresses of a person still waiting for confirmation, newest first, each with whether
/// it is to become primary.
pub async fn waiting(
    conn: &mut AnyConnection,
    person_id: &str,
    now_ms: i64,
) -> Result<Vec<(String, bool)>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT address, make_primary FROM email_confirmations \
         WHERE person_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 20",
    )
    .bind(person_id)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(address, primary)| (address, primary != 0)).collect())
}
