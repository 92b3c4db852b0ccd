//! LOG-3, LOG-6, PRO-1: a signed-in user sets a new password after proving the current one;
//! the REG-9 policy applies and the user's other sessions end.

use crate::backend::error::ServiceError;
use crate::backend::password::{CommonPasswordList, PasswordHash};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::{audit, sessions, users};
use crate::domain::{confirm_matches, FieldError, Password, PasswordContext};

pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), ServiceError> {
    let (settings, user, stored) = {
        let mut conn = state.db.pool().acquire().await?;
        let settings = Settings::load(&mut conn).await?;
        let user = users::find_session_user(&mut conn, user_id).await?.ok_or(ServiceError::NotFound)?;
        let stored = users::password_hash_of(&mut conn, user_id).await?;
        (settings, user, stored)
    };
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
    if !current.is_empty()
        && !state.hasher.verify(current.to_owned(), stored.map(PasswordHash::from_stored).as_ref()).await?
    {
        errors.insert(0, FieldError::new("current_password", "The current password is incorrect"));
    }
    if current == new && !new.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("new_password", "Choose a password different from the current one"));
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Validation(errors));
    };
    let hash = state.hasher.hash(&password).await?;
    let now = state.now_ms();
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
