//! Server-side sessions (SEC-2) in the shared database, so several instances share them and a
//! sign-out or password reset ends them everywhere; and the rule of their two limits: an idle
//! timeout that slides with activity, and an absolute lifetime from sign-in.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;

use crate::backend::clock::{HOUR_MS, MINUTE_MS};
use crate::backend::settings::Settings;

/// Session data key: when the user was last seen active (epoch ms, app clock). Absent until
/// the first extension; the sign-in time stands in for it.
pub const LAST_SEEN: &str = "last_seen";
/// An active session is written back at most once per this interval, so the idle timeout
/// slides without a database write on every request.
pub const EXTEND_EVERY_MS: i64 = MINUTE_MS;

/// The settings `session_idle_minutes` and `session_absolute_hours`, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl SessionLimits {
    pub fn of(settings: &Settings) -> Self {
        Self {
            idle_ms: settings.session_idle_minutes * MINUTE_MS,
            absolute_ms: settings.session_absolute_hours * HOUR_MS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// Idle for too long, or past the absolute limit however active.
    Ended,
    /// Still valid; `extend` when the last extension is old enough to write a new one.
    Live { extend: bool },
}

/// SEC-2: is a signed-in session still valid at `now_ms`?
pub fn liveness(now_ms: i64, signed_in_at: i64, last_seen: Option<i64>, limits: SessionLimits) -> Liveness {
    let last_seen = last_seen.unwrap_or(signed_in_at).max(signed_in_at);
    if now_ms - signed_in_at > limits.absolute_ms || now_ms - last_seen > limits.idle_ms {
        return Liveness::Ended;
    }
    Liveness::Live { extend: now_ms - last_seen >= EXTEND_EVERY_MS }
}

/// The stored expiry of a session written at `now_ms`: one idle period ahead, never past the
/// absolute limit. The store refuses and clean-up deletes rows past it; the authoritative check
/// is [`liveness`] with the current settings.
pub fn row_expiry(now_ms: i64, signed_in_at: Option<i64>, limits: SessionLimits) -> i64 {
    let idle_end = now_ms.saturating_add(limits.idle_ms);
    match signed_in_at {
        Some(at) => idle_end.min(at.saturating_add(limits.absolute_ms)),
        None => idle_end,
    }
}

/// Inserts a new session; false when the ID is already taken (the caller picks another).
pub async fn insert_new(
    conn: &mut AnyConnection,
    id: &str,
    data: &str,
    user_id: Option<&str>,
    expiry_ms: i64,
) -> Result<bool, StoreError> {
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

/// Writes an existing session back; false when it no longer exists. Update-only: a request
/// that still holds a session which sign-out or a password change deleted meanwhile must not
/// bring it back when it saves at its end (SEC-2).
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    data: &str,
    user_id: Option<&str>,
    expiry_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE sessions SET data = $2, user_id = $3, expiry_date = $4 WHERE id = $1")
        .bind(id)
        .bind(data)
        .bind(user_id)
        .bind(expiry_ms)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The session's data and expiry, if it exists and has not expired.
pub async fn load(conn: &mut AnyConnection, id: &str, now_ms: i64) -> Result<Option<(String, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2")
        .bind(id)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Ends every session of a user (password reset, LOG-4; password change elsewhere, PRO-1).
pub async fn delete_for_user(conn: &mut AnyConnection, user_id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

/// Deletes up to `limit` expired sessions (called periodically, indexed by expiry).
pub async fn delete_expired(conn: &mut AnyConnection, now_ms: i64, limit: i64) -> Result<u64, StoreError> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expiry_date <= $1 LIMIT $2)")
            .bind(now_ms)
            .bind(limit)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SessionLimits = SessionLimits { idle_ms: 30 * MINUTE_MS, absolute_ms: 12 * HOUR_MS };

    // covers: SEC-2
    #[test]
    fn activity_slides_the_idle_timeout_but_never_past_the_absolute_limit() {
        let t0 = 1_800_000_000_000;
        assert_eq!(liveness(t0 + 30_000, t0, None, LIMITS), Liveness::Live { extend: false });
        assert_eq!(liveness(t0 + 20 * MINUTE_MS, t0, None, LIMITS), Liveness::Live { extend: true });
        assert_eq!(liveness(t0 + 31 * MINUTE_MS, t0, None, LIMITS), Liveness::Ended);
        let seen = t0 + 11 * HOUR_MS + 50 * MINUTE_MS;
        assert_eq!(liveness(seen + 5 * MINUTE_MS, t0, Some(seen), LIMITS), Liveness::Live { extend: true });
        assert_eq!(liveness(t0 + 12 * HOUR_MS + 1, t0, Some(seen), LIMITS), Liveness::Ended);
        assert_eq!(row_expiry(seen, Some(t0), LIMITS), t0 + 12 * HOUR_MS);
        assert_eq!(row_expiry(t0, Some(t0), LIMITS), t0 + 30 * MINUTE_MS);
        assert_eq!(row_expiry(t0, None, LIMITS), t0 + 30 * MINUTE_MS);
    }
}
