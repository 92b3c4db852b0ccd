//! Login help (LOG-4, LOG-6): queued forgot-login requests, the logins they find, and the
//! single-use set-password tokens (only their SHA-256 is stored).

use sqlx::{AnyConnection, FromRow};

use crate::backend::db::{Db, DbKind};
use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::UserStatus;

/// A queued forgot-login request, as typed (trimmed).
#[derive(Debug, Clone, FromRow)]
pub struct ForgotRequest {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
}

pub async fn queue_request(
    conn: &mut AnyConnection,
    username: Option<&str>,
    email: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO forgot_requests (id, username, email, created_at, lease_until) VALUES ($1, $2, $3, $4, NULL)",
    )
    .bind(new_id())
    .bind(username)
    .bind(email)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Leases up to `limit` requests (the outbox's pattern: one statement decides, so two
/// instances never take the same row).
pub async fn claim_requests(db: &Db, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<ForgotRequest>, StoreError> {
    let skip_locked = match db.kind() {
        DbKind::Postgres => " FOR UPDATE SKIP LOCKED",
        DbKind::Sqlite => "",
    };
    let mut tx = db.begin().await?;
    let sql = format!(
        "UPDATE forgot_requests SET lease_until = $1 \
         WHERE id IN (SELECT id FROM forgot_requests WHERE lease_until IS NULL OR lease_until < $2 \
                      ORDER BY created_at LIMIT $3{skip_locked}) \
           AND (lease_until IS NULL OR lease_until < $2) \
         RETURNING id, username, email"
    );
    let rows = sqlx::query_as(&sql).bind(now_ms + lease_ms).bind(now_ms).bind(limit).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Lets a claimed request go, for the next run to take at once (its handling failed).
pub async fn release_request(conn: &mut AnyConnection, id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE forgot_requests SET lease_until = NULL WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Removes a handled request; false when another instance handled it meanwhile.
pub async fn finish_request(conn: &mut AnyConnection, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM forgot_requests WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A login a forgot-login request found, with the address its e-mail goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLogin {
    pub user_id: String,
    pub username: String,
    pub status: UserStatus,
    pub email: Option<String>,
}

#[derive(FromRow)]
struct FoundRow {
    id: String,
    username: String,
    status: String,
    email: Option<String>,
}

impl FoundRow {
    fn into_login(self) -> Result<FoundLogin, StoreError> {
        Ok(FoundLogin {
            status: parse_stored("user status", &self.status)?,
            user_id: self.id,
            username: self.username,
            email: self.email,
        })
    }
}

/// No address has more logins than this; a longer list would be a sign of abuse, not help.
const MAX_LOGINS_PER_ADDRESS: i64 = 50;

/// The unreleased logins of the persons with `address` (case-insensitive), by username.
pub async fn logins_of_address(conn: &mut AnyConnection, address: &str) -> Result<Vec<FoundLogin>, StoreError> {
    let rows: Vec<FoundRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.status, $1 AS email FROM users u \
         WHERE u.released_at IS NULL AND u.person_id IN \
           (SELECT e.person_id FROM email_addresses e WHERE lower(e.address) = lower($1) AND e.person_id IS NOT NULL) \
         ORDER BY u.lower_username LIMIT $2",
    )
    .bind(address)
    .bind(MAX_LOGINS_PER_ADDRESS)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(FoundRow::into_login).collect()
}

/// The unreleased login `lower_username`, with its primary address — or, when `address` is
/// given, that address if it is one of the person's, else nothing.
pub async fn login_by_username(
    conn: &mut AnyConnection,
    lower_username: &str,
    address: Option<&str>,
) -> Result<Option<FoundLogin>, StoreError> {
    let row: Option<FoundRow> = match address {
        None => {
            sqlx::query_as(
                "SELECT u.id, u.username, u.status, \
                   (SELECT e.address FROM email_addresses e WHERE e.person_id = u.person_id \
                    ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email \
                 FROM users u WHERE u.lower_username = $1 AND u.released_at IS NULL",
            )
            .bind(lower_username)
            .fetch_optional(&mut *conn)
            .await?
        }
        Some(address) => {
            sqlx::query_as(
                "SELECT u.id, u.username, u.status, $2 AS email FROM users u \
                 WHERE u.lower_username = $1 AND u.released_at IS NULL AND EXISTS \
                   (SELECT 1 FROM email_addresses e WHERE e.person_id = u.person_id AND lower(e.address) = lower($2))",
            )
            .bind(lower_username)
            .bind(address)
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    row.map(FoundRow::into_login).transpose()
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO password_tokens (token_hash, user_id, expires_at, used_at, created_at) VALUES ($1, $2, $3, NULL, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(expires_at)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The user of a token that is neither used nor expired.
pub async fn live_token_user(
    conn: &mut AnyConnection,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT user_id FROM password_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Marks a live token used, in one statement (so it can be used once only); its user, or
/// nothing when it was not live.
pub async fn use_token(conn: &mut AnyConnection, token_hash: &str, now_ms: i64) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE password_tokens SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// LOG-4: using one link invalidates the user's other outstanding links.
pub async fn invalidate_tokens_of(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE password_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes up to `limit` set-password links that expired before `before` (used or not: an
/// expired link is dead either way), oldest first. Bounded, indexed by expiry.
pub async fn delete_expired_tokens(conn: &mut AnyConnection, before: i64, limit: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "DELETE FROM password_tokens WHERE token_hash IN \
         (SELECT token_hash FROM password_tokens WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
