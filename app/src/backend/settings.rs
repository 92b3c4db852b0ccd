//! The merchant's settings (SPEC names), read from the `settings` table with typed defaults.
//!
//! A use case that writes reads them in its own transaction ([`Settings::load`]). The hot path
//! (every signed-in request checks the session limits and the universal approver) reads a
//! shared copy instead ([`Settings::cached`]): a write through this module drops every copy in
//! the process at once, and another instance's write is seen within [`CACHE_TTL`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::domain::PasswordPolicy;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub password_min_length: usize,
    pub password_hard_to_guess: bool,
    pub mandate_business_phone: bool,
    /// The universal approver (APR-2), by user id (setting `universal_approver`): a username could
    /// be released and registered by anyone. Only an active merchant admin acts as one.
    pub universal_approver_id: Option<String>,
    pub approval_timeout_minutes: i64,
    pub auto_create_account: bool,
    pub inactivate_customer_data_on_rejection: bool,
    pub primary_users_manage_users: bool,
    pub multi_customer_access: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub sign_in_delay_after_failures: i64,
    pub sign_in_lock_after_failures: i64,
    pub sign_in_lock_minutes: i64,
    pub merchant_name: String,
    pub sender_address: String,
    pub support_contact: String,
    /// NOT-2: the address e-mail links start with; `None` uses the server's configured one.
    pub public_base_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            password_min_length: 12,
            password_hard_to_guess: true,
            mandate_business_phone: false,
            universal_approver_id: None,
            approval_timeout_minutes: 0,
            auto_create_account: true,
            inactivate_customer_data_on_rejection: true,
            primary_users_manage_users: true,
            multi_customer_access: false,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            sign_in_delay_after_failures: 5,
            sign_in_lock_after_failures: 20,
            sign_in_lock_minutes: 15,
            merchant_name: "Gatehouse Store".into(),
            sender_address: "Gatehouse Store <no-reply@gatehouse.example>".into(),
            support_contact: "support@gatehouse.example".into(),
            public_base_url: None,
        }
    }
}

impl Settings {
    pub fn password_policy(&self) -> PasswordPolicy {
        PasswordPolicy { min_length: self.password_min_length, hard_to_guess: self.password_hard_to_guess }
    }

    /// Applies one stored `key = value`; unknown keys and unparsable values keep the default.
    fn apply(&mut self, key: &str, value: String) {
        let flag = |v: &str| matches!(v, "1" | "true" | "on");
        let int = |v: &str, d: i64| v.trim().parse::<i64>().unwrap_or(d);
        match key {
            "password_min_length" => {
                self.password_min_length = int(&value, 12).clamp(1, 128) as usize;
            }
            "password_hard_to_guess" => self.password_hard_to_guess = flag(&value),
            "mandate_business_phone" => self.mandate_business_phone = flag(&value),
            "universal_approver" => {
                self.universal_approver_id = Some(value.trim().to_owned()).filter(|id| !id.is_empty());
            }
            "approval_timeout_minutes" => self.approval_timeout_minutes = int(&value, 0).max(0),
            "auto_create_account" => self.auto_create_account = flag(&value),
            "inactivate_customer_data_on_rejection" => self.inactivate_customer_data_on_rejection = flag(&value),
            "primary_users_manage_users" => self.primary_users_manage_users = flag(&value),
            "multi_customer_access" => self.multi_customer_access = flag(&value),
            "session_idle_minutes" => self.session_idle_minutes = int(&value, 30).max(1),
            "session_absolute_hours" => self.session_absolute_hours = int(&value, 12).max(1),
            "sign_in_delay_after_failures" => self.sign_in_delay_after_failures = int(&value, 5).max(1),
            "sign_in_lock_after_failures" => self.sign_in_lock_after_failures = int(&value, 20).max(1),
            "sign_in_lock_minutes" => self.sign_in_lock_minutes = int(&value, 15).max(1),
            "merchant_name" => self.merchant_name = value,
            "sender_address" => self.sender_address = value,
            "support_contact" => self.support_contact = value,
            "public_base_url" => {
                self.public_base_url = Some(value.trim().to_owned()).filter(|url| !url.is_empty());
            }
            _ => {}
        }
    }

    pub async fn load(conn: &mut AnyConnection) -> Result<Self, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM settings ORDER BY key").fetch_all(&mut *conn).await?;
        let mut settings = Settings::default();
        for (key, value) in rows {
            settings.apply(&key, value);
        }
        Ok(settings)
    }

    /// The settings as of at most [`CACHE_TTL`] ago (or the last write in this process), read
    /// on `conn` only when the copy is stale.
    pub async fn cached(cache: &SettingsCache, conn: &mut AnyConnection) -> Result<Arc<Self>, StoreError> {
        if let Some(fresh) = cache.fresh() {
            return Ok(fresh);
        }
        // Read before loading: a write that lands meanwhile leaves this copy already stale.
        let generation = GENERATION.load(Ordering::Acquire);
        let loaded = Arc::new(Self::load(conn).await?);
        cache.keep(generation, loaded.clone());
        Ok(loaded)
    }

    /// The same copy for a caller that holds no connection: one is taken from `db`'s pool only
    /// when the copy is stale. Handing a connection back costs a round trip to SQLite's worker
    /// thread (sqlx pings it on release), so a fresh copy must not take one.
    pub async fn current(db: &crate::backend::db::Db) -> Result<Arc<Self>, StoreError> {
        if let Some(fresh) = db.settings_cache().fresh() {
            return Ok(fresh);
        }
        let mut conn = db.pool().acquire().await?;
        Self::cached(db.settings_cache(), &mut conn).await
    }
}

/// How long another instance's change of a setting may go unseen here.
pub const CACHE_TTL: Duration = Duration::from_secs(1);

/// Bumped by every write in this process; a copy read under an older generation is stale.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Drops every cached copy in this process (after a write commits, and by the writes here).
pub fn invalidate() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// One shared copy of the settings (it travels with the database handle it was read from).
#[derive(Debug, Clone, Default)]
pub struct SettingsCache(Arc<Mutex<Option<Snapshot>>>);

#[derive(Debug)]
struct Snapshot {
    generation: u64,
    read_at: Instant,
    settings: Arc<Settings>,
}

impl SettingsCache {
    fn fresh(&self) -> Option<Arc<Settings>> {
        let copy = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        copy.as_ref()
            .filter(|c| c.generation == GENERATION.load(Ordering::Acquire) && c.read_at.elapsed() < CACHE_TTL)
            .map(|c| c.settings.clone())
    }

    fn keep(&self, generation: u64, settings: Arc<Settings>) {
        let mut copy = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *copy = Some(Snapshot { generation, read_at: Instant::now(), settings });
    }
}

/// The stored `key = value` rows (the console shows them beside the defaults).
pub async fn stored(conn: &mut AnyConnection) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT key, value FROM settings ORDER BY key LIMIT 500").fetch_all(&mut *conn).await?)
}

/// Writes one setting (console and tests).
pub async fn set(conn: &mut AnyConnection, key: &str, value: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    invalidate();
    Ok(())
}

/// Names `user_id` the universal approver unless the setting already names an existing user
/// (OPS-5: the merchant admin created at start-up). An unset or empty setting, or one still
/// holding a username (before migration 0004 could convert it), is taken over. Answers whether
/// it was.
pub async fn claim_universal_approver(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('universal_approver', $1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
         WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = settings.value)",
    )
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    invalidate();
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings_form::SETTINGS;

    // covers: CON-2
    #[test]
    fn the_consoles_defaults_are_the_settings_defaults() {
        let mut applied = Settings::default();
        for spec in SETTINGS {
            applied.apply(spec.key, spec.default.to_owned());
        }
        assert_eq!(applied, Settings::default());
        // and every key the console writes is one the settings read
        for spec in SETTINGS {
            let mut changed = Settings::default();
            let other = match spec.default {
                "1" => "0",
                "0" => "1",
                "" => "x",
                _ => "99",
            };
            changed.apply(spec.key, other.to_owned());
            assert_ne!(changed, Settings::default(), "{} is not read", spec.key);
        }
    }
}
