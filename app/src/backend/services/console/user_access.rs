//! CON-3, what a user may do: Reset password (typed, or generated and shown once to the
//! operator — never stored in clear, mailed, logged or audited) and role grants with optional
//! start and end dates and a justification. A grant outside its dates has no effect: permissions
//! are read per request from the grants in force (`store::roles::permission_set`).

use rand::Rng;
use serde_json::json;

use super::users::{log, not_self, target};
use crate::backend::authz::Operator;
use crate::backend::error::ServiceError;
use crate::backend::password::{CommonPasswordList, PasswordHash};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::console_users::{self as store, ConsoleUserRecord};
use crate::backend::store::{login_help, sessions, sites, users};
use crate::domain::admin_contact::Day;
use crate::domain::console_user::{Justification, NewPassword, RoleGrant, CHOOSE_A_ROLE};
use crate::domain::{ConflictCode, Password, PasswordContext, PasswordPolicy, UserStatus};

/// A password generated for a reset: given to the operator once, to hand to the user. `Debug`
/// hides it, and it is neither `Clone` nor `Serialize`, so it cannot reach a log or a row by
/// accident (SEC-7).
pub struct GeneratedPassword(String);

impl GeneratedPassword {
    /// The clear text, for the one page (or API answer) that shows it.
    pub fn expose(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for GeneratedPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GeneratedPassword(***)")
    }
}

/// Letters and digits that cannot be mistaken for one another when read aloud or retyped
/// (no 0/O, 1/l/I): 56 symbols, about 5.8 bits each.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Groups of four symbols joined by `-`, for reading: at least 24 characters (20 random
/// symbols, about 116 bits), longer when the policy asks for more.
const GROUP: usize = 4;
const MIN_LENGTH: usize = 24;

/// A strong random password from the operating system's generator, as long as the policy
/// (REG-9 `password_min_length`) asks, and accepted by it.
fn generate(policy: &PasswordPolicy, ctx: &PasswordContext<'_>) -> Result<Password, ServiceError> {
    let mut rng = rand::rngs::OsRng;
    let length = MIN_LENGTH.max(policy.min_length).min(Password::MAX_LENGTH);
    // A random text containing the user's name or a common password is astronomically rare;
    // a few attempts make it impossible in practice.
    for _ in 0..8 {
        let text: String =
            (0..length)
                .map(|i| {
                    if i % (GROUP + 1) == GROUP {
                        '-'
                    } else {
                        char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])
                    }
                })
                .collect();
        if let Ok(password) = Password::parse(text, policy, ctx, &CommonPasswordList) {
            return Ok(password);
        }
    }
    Err(ServiceError::Internal("no generated password satisfied the policy".into()))
}

/// A user whose password can be reset: not released (deleted or rejected).
fn resettable(user: &ConsoleUserRecord) -> Result<(), ServiceError> {
    match user.status {
        UserStatus::Pending | UserStatus::Active | UserStatus::Inactive => Ok(()),
        UserStatus::Rejected | UserStatus::Deleted => Err(ServiceError::Conflict(ConflictCode::UserStatus)),
    }
}

/// CON-3 Reset password: the typed password, or a generated one (answered once, here). Either
/// way it must be changed at next sign-in (LOG-3), and the user's sessions and set-password
/// links end in the same transaction. The audit row says how, never what.
pub async fn reset_password(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    choice: NewPassword,
) -> Result<Option<GeneratedPassword>, ServiceError> {
    let (user, policy) = {
        let mut conn = state.db.pool().acquire().await?;
        let user = target(&mut conn, operator, user_id).await?;
        (user, Settings::load(&mut conn).await?.password_policy())
    };
    not_self(operator, user_id)?;
    resettable(&user)?;
    let (password, method) = match choice {
        NewPassword::Typed(password) => (password, "typed"),
        NewPassword::Generated => {
            let ctx =
                PasswordContext { username: &user.username, first_name: &user.first_name, last_name: &user.last_name };
            (generate(&policy, &ctx)?, "generated")
        }
    };
    // SEC-1: no connection is held while argon2 runs.
    let hash: PasswordHash = state.hasher.hash(&password).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let user = target(&mut tx, operator, user_id).await?;
    resettable(&user)?;
    users::set_password(&mut tx, user_id, hash.as_str(), true, now).await?;
    let ended = sessions::delete_for_user(&mut tx, user_id).await?;
    login_help::invalidate_tokens_of(&mut tx, user_id, now).await?;
    let before = json!({ "must_change_password": user.must_change_password, "had_password": user.has_password });
    let after = json!({ "method": method, "must_change_password": true, "sessions_ended": ended });
    log(&mut tx, operator.actor(), "user.password_reset", user_id, Some(before), Some(after), None, now).await?;
    tx.commit().await?;
    Ok((method == "generated").then(|| GeneratedPassword(password.expose_secret().to_owned())))
}

/// The roles the Grant form offers for the user: the merchant's and seeded roles, and the
/// custom roles of the user's own organization. (id, name).
pub async fn grantable_roles(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
) -> Result<Vec<(String, String)>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let user = target(&mut conn, operator, user_id).await?;
    Ok(store::grantable_roles(&mut conn, user.organization_id.as_deref()).await?)
}

fn dates(start: Option<i64>, end: Option<i64>) -> serde_json::Value {
    json!({
        "start": start.map(|ms| Day::of_ms(ms).iso()),
        "end": end.map(|ms| Day::of_ms(ms).iso()),
    })
}

/// CON-3 grant: the role from the start of its Start date to the end of its End date (either
/// open). Granting a role the user holds replaces its dates and justification. The sites that
/// require the role follow it when the grant is in force now (ADM-5).
pub async fn grant_role(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    grant: &RoleGrant,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let user = target(&mut tx, operator, user_id).await?;
    resettable(&user)?;
    let roles = store::grantable_roles(&mut tx, user.organization_id.as_deref()).await?;
    let (role_id, role_name) = roles
        .into_iter()
        .find(|(id, _)| *id == grant.role_id)
        .ok_or_else(|| ServiceError::field("role_id", CHOOSE_A_ROLE))?;
    let held = store::roles_of(&mut tx, user_id).await?.into_iter().find(|r| r.role_id == role_id);
    let (start, end) = (grant.start.map(Day::start_ms), grant.end.map(Day::end_ms));
    let granted_by = match operator.actor() {
        crate::backend::store::audit::Actor::User(id) => Some(id),
        _ => None,
    };
    let why = grant.justification.as_str();
    store::grant_role(&mut tx, user_id, &role_id, start, end, why, granted_by, now).await?;
    let in_force = start.is_none_or(|s| s <= now) && end.is_none_or(|e| e >= now);
    let mut after = json!({ "role_id": role_id, "role_name": role_name, "in_force": in_force });
    after["dates"] = dates(start, end);
    if in_force {
        after["sites_given"] = json!(sites::assign_for_role(&mut tx, user_id, &role_id, now).await?);
    }
    let before =
        held.map(|h| json!({ "role_id": h.role_id, "role_name": h.name, "dates": dates(h.start_at, h.end_at) }));
    log(&mut tx, operator.actor(), "user.role_granted", user_id, before, Some(after), Some(why), now).await?;
    tx.commit().await?;
    Ok(())
}

/// CON-3 remove: the user no longer holds the role (from their next request). A role the user
/// does not hold is not found.
pub async fn remove_role(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    role_id: &str,
    justification: Option<&Justification>,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    target(&mut tx, operator, user_id).await?;
    let held = store::roles_of(&mut tx, user_id)
        .await?
        .into_iter()
        .find(|r| r.role_id == role_id)
        .ok_or(ServiceError::NotFound)?;
    store::remove_role(&mut tx, user_id, role_id).await?;
    let before = json!({ "role_id": held.role_id, "role_name": held.name, "dates": dates(held.start_at, held.end_at) });
    let why = justification.map(Justification::as_str);
    log(&mut tx, operator.actor(), "user.role_removed", user_id, Some(before), None, why, now).await?;
    tx.commit().await?;
    Ok(())
}
