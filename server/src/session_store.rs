//! A tower-sessions store over the shared `Any` pool (DESIGN.md: one store for both
//! databases), so sessions survive restarts and are shared by several instances (OPS-3).
//!
//! Expiry is the server's (SEC-2), on the app clock: each write stores one idle period ahead
//! under the current settings (capped by the absolute limit), and loading refuses a row past
//! it. tower-sessions' own expiry only shapes the cookie, which lives until the browser closes.

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::AnyConnection;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use app::api::ssr::{SIGNED_IN_AT, USER_ID};
use app::backend::settings::Settings;
use app::backend::store::sessions::{self, SessionLimits};
use app::backend::{Clock, Db};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gatehouse_session";

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbSessionStore").finish_non_exhaustive()
    }
}

impl DbSessionStore {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// The row expiry of `record` written now, under the settings as they are now.
    async fn expiry_ms(&self, conn: &mut AnyConnection, record: &Record) -> Result<i64> {
        let settings = Settings::cached(self.db.settings_cache(), conn).await.map_err(backend)?;
        let signed_in_at = record.data.get(SIGNED_IN_AT).and_then(|v| v.as_i64());
        Ok(sessions::row_expiry(self.clock.now_ms(), signed_in_at, SessionLimits::of(&settings)))
    }
}

fn backend(err: impl std::fmt::Display) -> Error {
    Error::Backend(err.to_string())
}

fn encode(record: &Record) -> Result<(String, Option<String>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user_id = record.data.get(USER_ID).and_then(|v| v.as_str()).map(str::to_owned);
    Ok((data, user_id))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (data, user_id) = encode(record)?;
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        let expiry = self.expiry_ms(&mut conn, record).await?;
        // A colliding random ID is astronomically unlikely; pick another rather than overwrite.
        loop {
            let id = record.id.to_string();
            if sessions::insert_new(&mut conn, &id, &data, user_id.as_deref(), expiry).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (data, user_id) = encode(record)?;
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        let expiry = self.expiry_ms(&mut conn, record).await?;
        let id = record.id.to_string();
        if !sessions::update(&mut conn, &id, &data, user_id.as_deref(), expiry).await.map_err(backend)? {
            // Ended meanwhile (sign-out, password change, expiry): it stays ended. The
            // browser's cookie then names no session, which reads as signed out.
            tracing::debug!("a session ended during its request was not saved again");
        }
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        let Some((data, expiry)) =
            sessions::load(&mut conn, &session_id.to_string(), self.clock.now_ms()).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expiry) * 1_000_000)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *session_id, data, expiry_date }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        sessions::delete(&mut conn, &session_id.to_string()).await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::backend::clock::MINUTE_MS;
    use app::backend::TestClock;
    use app::testing::{count_rows, for_each_database, migrated_state};

    // covers: SEC-2
    #[tokio::test]
    async fn saving_a_session_that_was_deleted_does_not_bring_it_back() {
        for_each_database(|db| async move {
            let clock = TestClock::at(1_800_000_000_000);
            let state = migrated_state(&db.url, clock.clone()).await;
            let store = DbSessionStore::new(state.db.clone(), Arc::new(clock.clone()));
            let mut record = Record {
                id: Id::default(),
                data: [(USER_ID.to_owned(), serde_json::json!("u-1"))].into_iter().collect(),
                expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(30),
            };
            store.create(&mut record).await.expect("create");
            assert_eq!(count_rows(&state.db, "sessions").await, 1, "{}", db.label);
            // Sign-out (or a password change) deletes it while a request still holds it…
            store.delete(&record.id).await.expect("delete");
            // …and that request's end-of-request save must not insert it again.
            let _ = store.save(&record).await;
            assert_eq!(count_rows(&state.db, "sessions").await, 0, "[{}] the session stays ended", db.label);
            assert!(store.load(&record.id).await.expect("load").is_none(), "{}", db.label);
        })
        .await;
    }

    // covers: SEC-2
    #[tokio::test]
    async fn a_stored_session_expires_on_the_app_clock_one_idle_period_after_its_last_write() {
        for_each_database(|db| async move {
            let clock = TestClock::at(1_800_000_000_000);
            let state = migrated_state(&db.url, clock.clone()).await;
            let store = DbSessionStore::new(state.db.clone(), Arc::new(clock.clone()));
            let mut record = Record {
                id: Id::default(),
                data: [(SIGNED_IN_AT.to_owned(), serde_json::json!(clock.now_ms()))].into_iter().collect(),
                expiry_date: time::OffsetDateTime::now_utc(),
            };
            store.create(&mut record).await.expect("create");
            clock.advance_ms(29 * MINUTE_MS);
            store.save(&record).await.expect("save");
            clock.advance_ms(30 * MINUTE_MS - 1);
            assert!(store.load(&record.id).await.expect("load").is_some(), "[{}] written 30 minutes ago", db.label);
            clock.advance_ms(1);
            assert!(store.load(&record.id).await.expect("load").is_none(), "[{}] idle too long", db.label);
        })
        .await;
    }
}
