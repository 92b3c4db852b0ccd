//! LOG-3, LOG-6, PRO-1: a signed-in user sets a new password after proving the current one;
//! the REG-9 policy applies and the user's other sessions end. Guessing the current password
//! is throttled like sign-in (SEC-4, same per-username counter, counted before verifying), and
//! a user who may not sign in (LOG-2) may not change a password either.

use crate::backend::error::ServiceError;
use crate::backend::password::{CommonPasswordList, PasswordHash};
use crate::backend::services::sign_in::{usable, username_limits};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::throttle::{self, Counter};
use crate::backend::store::{audit, sessions, users};
use crate::domain::{confirm_matches, FieldError, Password, PasswordContext};

/// SEC-4: no field longer than a password may be is ever hashed or compared.
fn too_long(current: &str, new: &str, confirm: &str) -> Vec<FieldError> {
    [("current_password", current), ("new_password", new), ("new_password_confirm", confirm)]
        .into_iter()
        .filter(|(_, value)| value.chars().count() > Password::MAX_LENGTH)
        .map(|(field, _)| {
            FieldError::new(field, format!("Password must be at most {} characters", Password::MAX_LENGTH))
        })
        .collect()
}

pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), ServiceError> {
    let errors = too_long(current, new, confirm);
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    let now = state.now_ms();
    let mut conn = state.db.pool().acquire().await?;
    let settings = Settings::load(&mut conn).await?;
    let user = users::find_session_user(&mut conn, user_id).await?.ok_or(ServiceError::Unauthenticated)?;
    let lower = user.username.to_lowercase();
    let record = users::find_for_sign_in(&mut conn, &lower)
        .await?
        .filter(|r| r.id == user_id)
        .ok_or(ServiceError::Unauthenticated)?;
    if usable(&record, now).is_err() {
        return Err(ServiceError::Unauthenticated);
    }
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError::new("current_password", "Enter your current password"));
    }
    let ctx = PasswordContext { username: &user.username, first_name: &user.first_name, last_name: &user.last_name };
    let password = match Password::parse(new.to_owned(), &settings.password_policy(), &ctx, &CommonPasswordList) {
        Ok(p) => Some(p),
        Err(e) => {
            let message = if new.is_empty() { "Enter a new password".to_owned() } else { e.to_string() };
            errors.push(FieldError::new("new_password", message));
            None
        }
    };
    if !new.is_empty() {
        if let Err(message) = confirm_matches(new, confirm) {
            errors.push(FieldError::new("new_password_confirm", message));
        }
    }
    // SEC-4: counted before verifying, on the same counter as sign-in.
    let verifying = !current.is_empty();
    if verifying
        && !throttle::count_attempt(&mut conn, Counter::Username, &lower, now, username_limits(&settings)).await?
    {
        return Err(ServiceError::Locked);
    }
    drop(conn); // no connection is held while argon2 runs
    if verifying {
        let stored = record.password_hash.clone().map(PasswordHash::from_stored);
        if state.hasher.verify(current.to_owned(), stored.as_ref()).await {
            throttle::clear(&mut *state.db.pool().acquire().await?, Counter::Username, &lower).await?;
        } else {
            errors.insert(0, FieldError::new("current_password", "The current password is incorrect"));
        }
    }
    if current == new && !new.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("new_password", "Choose a password different from the current one"));
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Validation(errors));
    };
    let hash = state.hasher.hash(&password).await.map_err(ServiceError::Internal)?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, user_id, hash.as_str(), false, now).await?;
    sessions::delete_for_user(&mut tx, user_id).await?;
    audit::append(
        &mut tx,
        &audit::AuditEntry {
            actor_user_id: Some(user_id),
            action: "user.password_changed",
            subject_type: "user",
            subject_id: user_id,
            before: None,
            after: None,
            justification: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
