//! PRO-1, PRO-2: a person's e-mail addresses. A new address is stored only once the single-use
//! link sent to it is followed (account-takeover protection: an address that can receive
//! forgot-login mail, LOG-4, must be proved to be the person's); the old primary address is
//! told of every change of the primary one (beyond).
//!
//! Following a link needs the session of the user who asked for it, as well as the link. The
//! link proves control of the mailbox, the session control of the login; requiring both means a
//! stranger who receives a mistyped address's link cannot attach their mailbox to someone else's
//! login and then take it over through forgot-login.

use crate::backend::authz::SignedIn;
use crate::backend::clock::HOUR_MS;
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::services::login_help::{new_token, token_hash};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::audit;
use crate::backend::store::email_addresses::{self as addresses, StoredEmail};
use crate::backend::store::email_confirmations::{self as confirmations, NewConfirmation};
use crate::backend::store::person_profile::{self, PersonDetails};
use crate::domain::{ConflictCode, Email, Language};
use sqlx::AnyConnection;

/// A confirmation link is valid for 24 hours (on the app clock).
pub const CONFIRMATION_VALIDITY_MS: i64 = 24 * HOUR_MS;

pub const ALREADY_YOURS: &str = "This address is already one of yours";

/// What a signed-in user may see of their own addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailBook {
    pub stored: Vec<StoredEmail>,
    /// Asked for and not yet confirmed (live links only), each with whether it is to become
    /// primary.
    pub waiting: Vec<(String, bool)>,
}

pub async fn email_book(state: &AppState, who: &SignedIn) -> Result<EmailBook, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let stored = addresses::of_person(&mut conn, who.person_id()).await?;
    let waiting = confirmations::waiting(&mut conn, who.person_id(), state.now_ms()).await?;
    Ok(EmailBook { stored, waiting })
}

/// PRO-2: asks to add `address`; nothing is stored until its link is followed.
pub async fn add_email(state: &AppState, who: &SignedIn, address: &Email) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if addresses::find_address(&mut tx, who.person_id(), address.as_str()).await?.is_some() {
        return Err(ServiceError::field("email", ALREADY_YOURS));
    }
    let person = person_profile::details(&mut tx, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
    let brand = brand(&mut tx, state).await?;
    ask_to_confirm(&mut tx, &brand, who, &person, address, false, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What happened to a wanted primary address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrimaryChange {
    /// It is the primary address already.
    Unchanged,
    /// It was one of the person's confirmed addresses and is now the primary one.
    Switched,
    /// A confirmation link went to it; it becomes primary when the link is followed.
    ConfirmationSent,
}

/// PRO-1: the person wants `address` as their primary address, inside the caller's transaction.
pub(crate) async fn want_primary(
    conn: &mut AnyConnection,
    state: &AppState,
    who: &SignedIn,
    person: &PersonDetails,
    address: &Email,
    now: i64,
) -> Result<PrimaryChange, ServiceError> {
    match addresses::find_address(conn, who.person_id(), address.as_str()).await? {
        Some(stored) if stored.is_primary => Ok(PrimaryChange::Unchanged),
        Some(stored) => {
            let brand = brand(conn, state).await?;
            switch_primary(conn, &brand, who.user_id(), who.person_id(), person, &stored, now).await?;
            Ok(PrimaryChange::Switched)
        }
        None => {
            let brand = brand(conn, state).await?;
            ask_to_confirm(conn, &brand, who, person, address, true, now).await?;
            Ok(PrimaryChange::ConfirmationSent)
        }
    }
}

/// PRO-2: makes another confirmed address of the person's primary.
pub async fn make_primary(state: &AppState, who: &SignedIn, id: &str) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let stored = addresses::find(&mut tx, who.person_id(), id).await?.ok_or(ServiceError::NotFound)?;
    if !stored.is_primary {
        let person = person_profile::details(&mut tx, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
        let brand = brand(&mut tx, state).await?;
        switch_primary(&mut tx, &brand, who.user_id(), who.person_id(), &person, &stored, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// PRO-2: removes a non-primary address. Another person's address is `NotFound` (SEC-5).
pub async fn remove_email(state: &AppState, who: &SignedIn, id: &str) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let stored = addresses::find(&mut tx, who.person_id(), id).await?.ok_or(ServiceError::NotFound)?;
    if stored.is_primary {
        return Err(ServiceError::Conflict(ConflictCode::PrimaryEmail));
    }
    if !addresses::remove_secondary(&mut tx, who.person_id(), id).await? {
        return Err(ServiceError::NotFound);
    }
    record(&mut tx, who.user_id(), "person.email_removed", who.person_id(), Some(&stored.address), None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The address a live link of `who` would confirm (unknown, used, expired and other users'
/// links all look the same: nothing).
pub async fn confirmation_for(state: &AppState, who: &SignedIn, token: &str) -> Result<Option<String>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let live = confirmations::live(&mut conn, &token_hash(token), state.now_ms()).await?;
    Ok(live.filter(|pending| pending.user_id == who.user_id()).map(|pending| pending.address))
}

/// PRO-1, PRO-2: follows a link, in one transaction: the link is used, the person's other
/// links end, the address is stored (primary when that was asked for; the old one is kept,
/// non-primary, as in OAA-4) and the old primary address is told. A link that is not live or
/// not the caller's is `NotFound` and changes nothing.
pub async fn confirm_email(state: &AppState, who: &SignedIn, token: &str) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let hash = token_hash(token);
    let mut tx = state.db.begin().await?;
    let live = confirmations::live(&mut tx, &hash, now).await?;
    if live.as_ref().is_none_or(|pending| pending.user_id != who.user_id()) {
        return Err(ServiceError::NotFound);
    }
    let pending = confirmations::use_link(&mut tx, &hash, now).await?.ok_or(ServiceError::NotFound)?;
    confirmations::invalidate_for_person(&mut tx, &pending.person_id, now).await?;
    let stored = match addresses::find_address(&mut tx, &pending.person_id, &pending.address).await? {
        Some(stored) => stored,
        None => {
            let id = addresses::insert(&mut tx, &pending.person_id, &pending.address, now).await?;
            StoredEmail { id, address: pending.address.clone(), is_primary: false }
        }
    };
    record(&mut tx, who.user_id(), "person.email_confirmed", &pending.person_id, None, Some(&stored.address), now)
        .await?;
    if pending.make_primary && !stored.is_primary {
        let person = person_profile::details(&mut tx, &pending.person_id).await?.ok_or(ServiceError::NotFound)?;
        let brand = brand(&mut tx, state).await?;
        switch_primary(&mut tx, &brand, who.user_id(), &pending.person_id, &person, &stored, now).await?;
    }
    tx.commit().await?;
    Ok(pending.address)
}

/// Stores the link's hash and mails the link to the new address only; when it is to become
/// primary, the current primary address is told (no link, no secret).
async fn ask_to_confirm(
    conn: &mut AnyConnection,
    brand: &Brand,
    who: &SignedIn,
    person: &PersonDetails,
    address: &Email,
    make_primary: bool,
    now: i64,
) -> Result<(), ServiceError> {
    let token = new_token();
    let hash = token_hash(&token);
    let new = NewConfirmation {
        token_hash: &hash,
        person_id: who.person_id(),
        user_id: who.user_id(),
        address: address.as_str(),
        make_primary,
        expires_at: now + CONFIRMATION_VALIDITY_MS,
    };
    confirmations::insert(conn, &new, now).await?;
    let lang = Language::from_code(&person.language);
    let confirm = mail::email_confirm(brand, lang, address.as_str(), &person.first_name, &token, make_primary);
    mail::enqueue(conn, &confirm, now).await?;
    if make_primary {
        if let Some(old) = addresses::of_person(conn, who.person_id()).await?.into_iter().find(|e| e.is_primary) {
            let notice =
                mail::email_change_notice(brand, lang, &old.address, &person.first_name, address.as_str(), true);
            mail::enqueue(conn, &notice, now).await?;
        }
    }
    record(conn, who.user_id(), "person.email_change_requested", who.person_id(), None, Some(address.as_str()), now)
        .await
}

/// Makes `stored` primary and tells the old primary address.
async fn switch_primary(
    conn: &mut AnyConnection,
    brand: &Brand,
    actor: &str,
    person_id: &str,
    person: &PersonDetails,
    stored: &StoredEmail,
    now: i64,
) -> Result<(), ServiceError> {
    let old = addresses::of_person(conn, person_id).await?.into_iter().find(|e| e.is_primary);
    addresses::set_primary(conn, person_id, &stored.id).await?;
    if let Some(old) = &old {
        let lang = Language::from_code(&person.language);
        let notice = mail::email_change_notice(brand, lang, &old.address, &person.first_name, &stored.address, false);
        mail::enqueue(conn, &notice, now).await?;
    }
    let before = old.as_ref().map(|o| o.address.as_str());
    record(conn, actor, "person.primary_email_changed", person_id, before, Some(&stored.address), now).await
}

async fn brand(conn: &mut AnyConnection, state: &AppState) -> Result<Brand, ServiceError> {
    Ok(Brand::new(&Settings::load(conn).await?, &state.config.public_url))
}

async fn record(
    conn: &mut AnyConnection,
    actor: &str,
    action: &str,
    person_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(actor),
        action,
        subject_type: "person",
        subject_id: person_id,
        before,
        after,
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(())
}
