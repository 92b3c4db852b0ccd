//! Sign-in (LOG-1, LOG-2) with the per-username failure counters of SEC-4.

use crate::backend::clock::MINUTE_MS;
use crate::backend::error::ServiceError;
use crate::backend::password::PasswordHash;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::{throttle, users};

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: String,
    pub must_change_password: bool,
}

/// The wait after `failures` failures: none below the threshold, then 1 s, 2 s, 4 s … (at
/// most a minute) since the last failure, until the lock threshold.
fn required_wait_ms(failures: i64, delay_after: i64) -> i64 {
    if failures < delay_after {
        return 0;
    }
    let exponent = (failures - delay_after).min(6) as u32;
    1_000 * 2_i64.pow(exponent)
}

/// Checks the credentials. Status is only revealed to someone who knows the password, and
/// unknown usernames cost the same as known ones (dummy verify).
pub async fn sign_in(state: &AppState, username: &str, password: &str) -> Result<SignedIn, ServiceError> {
    let lower = username.trim().to_lowercase();
    if lower.is_empty() || password.is_empty() || lower.len() > 100 || password.chars().count() > 128 {
        return Err(ServiceError::SignInFailed);
    }
    let now = state.now_ms();
    let (settings, failures, record) = {
        let mut conn = state.db.pool().acquire().await?;
        let settings = Settings::load(&mut conn).await?;
        let failures = throttle::get(&mut conn, &lower).await?;
        let record = users::find_for_sign_in(&mut conn, &lower).await?;
        (settings, failures, record)
    };
    if let Some(f) = failures {
        let locked = f.locked_until.is_some_and(|until| until > now);
        let waiting = now - f.last_failure_at < required_wait_ms(f.failures, settings.sign_in_delay_after_failures);
        if locked || waiting {
            return Err(ServiceError::Locked);
        }
    }
    let stored = record.as_ref().and_then(|r| r.password_hash.clone()).map(PasswordHash::from_stored);
    let verified = state.hasher.verify(password.to_owned(), stored.as_ref()).await?;
    let mut conn = state.db.pool().acquire().await?;
    let Some(record) = record.filter(|_| verified) else {
        throttle::record_failure(
            &mut conn,
            &lower,
            now,
            settings.sign_in_lock_after_failures,
            settings.sign_in_lock_minutes * MINUTE_MS,
        )
        .await?;
        return Err(ServiceError::SignInFailed);
    };
    throttle::clear(&mut conn, &lower).await?;
    match users::UserStatus::parse(&record.status) {
        users::UserStatus::Pending => return Err(ServiceError::AwaitingApproval),
        users::UserStatus::Active => {}
        users::UserStatus::Inactive => return Err(ServiceError::AccessNotActive),
        users::UserStatus::Rejected | users::UserStatus::Deleted => return Err(ServiceError::SignInFailed),
    }
    let dated_out = record.start_at.is_some_and(|s| s > now) || record.end_at.is_some_and(|e| e < now);
    if dated_out || record.inactive_contact != 0 {
        return Err(ServiceError::AccessNotActive);
    }
    users::record_sign_in(&mut conn, &record.id, now).await?;
    Ok(SignedIn { user_id: record.id, must_change_password: record.must_change_password != 0 })
}

#[cfg(test)]
mod tests {
    use super::required_wait_ms;

    // covers: SEC-4
    #[test]
    fn waits_grow_after_the_threshold_and_are_capped() {
        assert_eq!(required_wait_ms(4, 5), 0);
        assert_eq!(required_wait_ms(5, 5), 1_000);
        assert_eq!(required_wait_ms(6, 5), 2_000);
        assert_eq!(required_wait_ms(19, 5), 64_000);
    }
}
