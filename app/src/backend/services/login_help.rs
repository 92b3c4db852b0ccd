//! LOG-4, LOG-6: forgot login and setting a password from an e-mailed link.
//!
//! The request only records what was typed (`request_login_help`), so its reply and timing are
//! the same whether or not anything matches; a background job (`send_login_help`) looks the
//! logins up, creates one single-use link per login and queues the e-mail. Links carry 256
//! random bits; only their SHA-256 is stored.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::backend::clock::{MINUTE_MS, SECOND_MS};
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::login_help::{self as store, ForgotRequest, FoundLogin};
use crate::backend::store::{audit, email_confirmations, sessions, users};
use crate::domain::{Language, LoginHelpRequest, Password, UserStatus};

/// LOG-4: a link is valid for 60 minutes.
pub const LINK_VALIDITY_MS: i64 = 60 * MINUTE_MS;
/// How long a claimed request is left to the instance that claimed it. The lease only saves
/// two instances doing the same work: `finish_request` makes sure one request is mailed once,
/// whoever holds it. It is short because a claim that could be neither handled nor let go (a
/// full disk refuses both writes) waits it out: the soak's disk-full phase found forgot-login
/// mails five minutes late under the old lease of five minutes.
pub const LEASE_MS: i64 = 15 * SECOND_MS;
const BATCH: i64 = 20;

/// Records the request; nothing is looked up here (LOG-4: the reply reveals nothing).
pub async fn request_login_help(state: &AppState, request: &LoginHelpRequest) -> Result<(), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let email = request.email.as_ref().map(|e| e.as_str());
    store::queue_request(&mut conn, request.username.as_deref(), email, state.now_ms()).await?;
    Ok(())
}

/// Handles the queued requests; answers how many e-mails were queued. A request whose handling
/// fails (the database full or gone for a moment) is let go at once, so the next run retries it
/// rather than waiting out its lease; the others of the batch are still handled.
pub async fn send_login_help(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.now_ms();
    let claimed = store::claim_requests(&state.db, now, LEASE_MS, BATCH).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let brand = {
        let mut conn = state.db.pool().acquire().await?;
        Brand::new(&Settings::load(&mut conn).await?, &state.config.public_url)
    };
    let (mut sent, mut failure) = (0, None);
    for request in claimed {
        match handle_request(state, &brand, &request, now).await {
            Ok(mailed) => sent += usize::from(mailed),
            Err(e) => {
                if let Ok(mut conn) = state.db.pool().acquire().await {
                    // Best effort: if even this fails, the lease runs out and the request is retried then.
                    let _ = store::release_request(&mut conn, &request.id).await;
                }
                failure.get_or_insert(e);
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(sent),
    }
}

/// One request, in one transaction: its links, its e-mail, and the request removed. Answers
/// whether an e-mail was queued.
async fn handle_request(
    state: &AppState,
    brand: &Brand,
    request: &ForgotRequest,
    now: i64,
) -> Result<bool, ServiceError> {
    let mut tx = state.db.begin().await?;
    let found = match (&request.username, &request.email) {
        (Some(username), email) => {
            store::login_by_username(&mut tx, &username.to_lowercase(), email.as_deref()).await?.into_iter().collect()
        }
        (None, Some(email)) => store::logins_of_address(&mut tx, email).await?,
        (None, None) => Vec::new(),
    };
    let logins: Vec<FoundLogin> = found.into_iter().filter(|login| may_get_help(login.status)).collect();
    let to = logins.iter().find_map(|login| login.email.clone());
    if let Some(to) = &to {
        let mut entries = Vec::with_capacity(logins.len());
        for login in &logins {
            let token = new_token();
            store::insert_token(&mut tx, &token_hash(&token), &login.user_id, now + LINK_VALIDITY_MS, now).await?;
            entries.push((login.username.clone(), format!("{}/password/reset/{token}", brand.public_url)));
        }
        mail::enqueue(&mut tx, &mail::forgot_login(brand, Language::English, to, &entries), now).await?;
    }
    if !store::finish_request(&mut tx, &request.id).await? {
        return Ok(false); // handled by another instance meanwhile: nothing of this one is kept
    }
    tx.commit().await?;
    Ok(to.is_some())
}

/// LOG-4: released logins (rejected, deleted) are never listed; a pending one is, since its
/// password may be set before approval (it still cannot sign in, LOG-2).
fn may_get_help(status: UserStatus) -> bool {
    match status {
        UserStatus::Pending | UserStatus::Active | UserStatus::Inactive => true,
        UserStatus::Rejected | UserStatus::Deleted => false,
    }
}

/// Whose a link is, while it is live: their profile (for the password policy's context).
pub async fn reset_link_holder(state: &AppState, token: &str) -> Result<Option<users::UserProfile>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let Some(user_id) = store::live_token_user(&mut conn, &token_hash(token), state.now_ms()).await? else {
        return Ok(None);
    };
    Ok(users::profile(&mut conn, &user_id).await?)
}

/// LOG-6: sets the password of the link's user, in one transaction: the link is used, the
/// user's other links are invalidated and all their sessions end (LOG-4). A link that is not
/// live (unknown, used, expired) is `NotFound` and changes nothing.
pub async fn reset_password(state: &AppState, token: &str, new: Password) -> Result<(), ServiceError> {
    let hash = state.hasher.hash(&new).await?; // no connection is held while argon2 runs
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let user_id = store::use_token(&mut tx, &token_hash(token), now).await?.ok_or(ServiceError::NotFound)?;
    users::set_password(&mut tx, &user_id, hash.as_str(), false, now).await?;
    store::invalidate_tokens_of(&mut tx, &user_id, now).await?;
    sessions::delete_for_user(&mut tx, &user_id).await?;
    // PRO-1: a reset also stops e-mail changes still waiting for confirmation.
    email_confirmations::invalidate_for_user(&mut tx, &user_id, now).await?;
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(&user_id),
        action: "user.password_reset",
        subject_type: "user",
        subject_id: &user_id,
        before: None,
        after: None,
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// 256 random bits, base64url without padding (43 characters); also the e-mail confirmation
/// links' (PRO-1).
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a link: its SHA-256, hex (SEC-7: a database leak reveals no usable link).
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}
