//! LOG-3, LOG-6, PRO-1: a signed-in user sets a new password after proving the current one;
//! the REG-9 policy applies (checked by `PasswordChangeForm::validate`) and the user's other
//! sessions end. Guessing the current password is throttled like sign-in (SEC-4: the same
//! per-username counter, counted before verifying), and only a usable user (LOG-2) holds the
//! `Authenticated` capability this takes.

use crate::backend::authz::Authenticated;
use crate::backend::error::ServiceError;
use crate::backend::password::PasswordHash;
use crate::backend::services::sign_in::username_limits;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::throttle::{self, Counter};
use crate::backend::store::{audit, email_confirmations, sessions, users};
use crate::domain::{PasswordChange, PasswordPolicy};

/// The REG-9 policy a new password is validated by.
pub async fn password_policy(state: &AppState) -> Result<PasswordPolicy, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(Settings::load(&mut conn).await?.password_policy())
}

pub async fn change_password(
    state: &AppState,
    who: &Authenticated,
    change: PasswordChange,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let lower = who.username().to_lowercase();
    let stored = {
        let mut conn = state.db.pool().acquire().await?;
        let settings = Settings::load(&mut conn).await?;
        // SEC-4: counted before verifying, on the same counter as sign-in.
        if !throttle::count_attempt(&mut conn, Counter::Username, &lower, now, username_limits(&settings)).await? {
            return Err(ServiceError::Locked);
        }
        users::password_hash_of(&mut conn, who.user_id()).await?.map(PasswordHash::from_stored)
    }; // no connection is held while argon2 runs
    if !state.hasher.verify(change.current, stored.as_ref()).await? {
        return Err(ServiceError::field("current_password", "The current password is incorrect"));
    }
    throttle::clear(&mut *state.db.pool().acquire().await?, Counter::Username, &lower).await?;
    let hash = state.hasher.hash(&change.new).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, who.user_id(), hash.as_str(), false, now).await?;
    sessions::delete_for_user(&mut tx, who.user_id()).await?;
    // PRO-1: whoever takes an account back by changing its password also stops an e-mail
    // change they did not ask for.
    email_confirmations::invalidate_for_user(&mut tx, who.user_id(), now).await?;
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(who.user_id()),
        action: "user.password_changed",
        subject_type: "user",
        subject_id: who.user_id(),
        before: None,
        after: None,
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
