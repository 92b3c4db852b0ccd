//! Sign-in (LOG-1, LOG-2) with the failure counters of SEC-4: every attempt is counted before
//! its password is verified, per username — or, for a browser holding a genuine device cookie
//! for that username, per device, so that someone else's failures cannot lock the owner out.

use crate::backend::clock::MINUTE_MS;
use crate::backend::device_cookie::{Device, DeviceKey, FAILURE_BUDGET};
use crate::backend::error::ServiceError;
use crate::backend::password::PasswordHash;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::throttle::{self, Counter, Limits};
use crate::backend::store::users::{self, SignInRecord};
use crate::domain::{Access, Credentials};

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: String,
    pub must_change_password: bool,
    /// The `Set-Cookie` value that (re)makes this browser a trusted device for the user.
    pub device_cookie: String,
}

/// SEC-4's per-username limits from the settings.
pub fn username_limits(settings: &Settings) -> Limits {
    Limits {
        delay_after: settings.sign_in_delay_after_failures,
        lock_after: settings.sign_in_lock_after_failures,
        lock_ms: settings.sign_in_lock_minutes * MINUTE_MS,
    }
}

/// A trusted browser's own budget: a few failures, no delay, locked for the same period.
fn device_limits(settings: &Settings) -> Limits {
    Limits { delay_after: FAILURE_BUDGET, lock_after: FAILURE_BUDGET, ..username_limits(settings) }
}

/// LOG-2: what a user whose password was right is told when they may not use the site now —
/// the rule every later request applies too (`authz::Caller::load`).
fn usable(record: &SignInRecord, now_ms: i64) -> Result<(), ServiceError> {
    match record.access.access_at(now_ms) {
        Access::Usable => Ok(()),
        Access::AwaitingApproval => Err(ServiceError::AwaitingApproval),
        Access::NotActive => Err(ServiceError::AccessNotActive),
        Access::Gone => Err(ServiceError::SignInFailed),
    }
}

/// Checks the credentials (validated by `SignInForm::validate`); `cookie_header` is the
/// request's `Cookie` header, where a device cookie may be. Status is only revealed to someone
/// who knows the password, and unknown usernames cost and count the same as known ones.
pub async fn sign_in(
    state: &AppState,
    credentials: &Credentials,
    cookie_header: &str,
) -> Result<SignedIn, ServiceError> {
    let lower = credentials.username.to_lowercase();
    let password = &credentials.password;
    let now = state.now_ms();
    let (key, genuine, trusted, record) = {
        let mut conn = state.db.pool().acquire().await?;
        let settings = Settings::load(&mut conn).await?;
        let key = DeviceKey::load(&mut conn, now).await?;
        let genuine = key.read(cookie_header, &lower);
        let trusted = count_attempt(&mut conn, &settings, &lower, genuine.as_ref(), now).await?;
        let record = users::find_for_sign_in(&mut conn, &lower).await?;
        (key, genuine, trusted, record)
    };
    // No connection is held while argon2 runs.
    let stored = record.as_ref().and_then(|r| r.password_hash.clone()).map(PasswordHash::from_stored);
    let verified = state.hasher.verify(password.to_owned(), stored.as_ref()).await?;
    let Some(record) = record.filter(|_| verified) else {
        return Err(ServiceError::SignInFailed);
    };
    let mut conn = state.db.pool().acquire().await?;
    match trusted {
        Some(device) => throttle::clear(&mut conn, Counter::Device, &device.nonce).await?,
        None => throttle::clear(&mut conn, Counter::Username, &lower).await?,
    }
    usable(&record, now)?;
    users::record_sign_in(&mut conn, &record.id, now).await?;
    let device = genuine.unwrap_or_else(|| Device::new(&lower));
    Ok(SignedIn {
        user_id: record.id,
        must_change_password: record.must_change_password,
        device_cookie: key.issue(&device, state.config.secure_cookies()),
    })
}

/// SEC-4: charges the attempt, before any verifying, to the trusted browser's own budget or
/// else to the username; answers the trusted device, or `Locked` when the attempt is refused.
/// A trusted browser that has spent its budget is a stranger again until the lock period ends.
async fn count_attempt(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    lower_username: &str,
    genuine: Option<&Device>,
    now_ms: i64,
) -> Result<Option<Device>, ServiceError> {
    if let Some(device) = genuine {
        if throttle::count_attempt(conn, Counter::Device, &device.nonce, now_ms, device_limits(settings)).await? {
            return Ok(Some(device.clone()));
        }
    }
    if throttle::count_attempt(conn, Counter::Username, lower_username, now_ms, username_limits(settings)).await? {
        Ok(None)
    } else {
        Err(ServiceError::Locked)
    }
}
