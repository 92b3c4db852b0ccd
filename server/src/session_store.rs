//! A tower-sessions store over the shared `Any` pool (DESIGN.md: one store for both
//! databases), so sessions survive restarts and are shared by several instances (OPS-3).

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use app::api::ssr::USER_ID;
use app::backend::store::sessions;
use app::backend::Db;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend(err: impl std::fmt::Display) -> Error {
    Error::Backend(err.to_string())
}

fn expiry_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

fn encode(record: &Record) -> Result<(String, Option<String>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user_id = record.data.get(USER_ID).and_then(|v| v.as_str()).map(str::to_owned);
    Ok((data, user_id))
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (data, user_id) = encode(record)?;
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        // A colliding random ID is astronomically unlikely; pick another rather than overwrite.
        loop {
            let id = record.id.to_string();
            if sessions::insert_new(&mut conn, &id, &data, user_id.as_deref(), expiry_ms(record))
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (data, user_id) = encode(record)?;
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        sessions::save(&mut conn, &record.id.to_string(), &data, user_id.as_deref(), expiry_ms(record))
            .await
            .map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let mut conn = self.db.pool().acquire().await.map_err(backend)?;
        let Some((data, expiry)) =
            sessions::load(&mut conn, &session_id.to_string(), now_ms()).await.map_err(backend)?
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
