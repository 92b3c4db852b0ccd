//! PRO-1: Personal information, and PRO-4: Preferences — what a signed-in person keeps up to
//! date themselves. Each save is one transaction with its audit row; a new primary e-mail
//! address waits for its confirmation link (see `email_addresses`).

use sqlx::AnyConnection;

use super::email_addresses::{want_primary, PrimaryChange};
use crate::backend::authz::SignedIn;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::person_profile::{self, PersonDetails};
use crate::backend::store::persons::{self, PreferenceChange, PreferenceSource, MARKETING_OPT_IN};
use crate::backend::store::{audit, email_confirmations};
use crate::domain::{Language, PreferencesChange, ProfileChange};

/// The Personal information form's values, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub language: Language,
    /// A new primary address waiting for its link to be followed (PRO-1), the newest.
    pub pending_email: Option<String>,
}

pub async fn profile(state: &AppState, who: &SignedIn) -> Result<Profile, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let person = person_profile::details(&mut conn, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
    let email = persons::primary_email(&mut conn, who.person_id()).await?.unwrap_or_default();
    let phone = person_profile::primary_phone(&mut conn, who.person_id()).await?.map(|(_, n)| n).unwrap_or_default();
    let waiting = email_confirmations::waiting(&mut conn, who.person_id(), state.now_ms()).await?;
    let pending_email = waiting.into_iter().find_map(|(address, primary)| primary.then_some(address));
    Ok(Profile {
        pending_email,
        language: Language::from_code(&person.language),
        first_name: person.first_name,
        last_name: person.last_name,
        email,
        phone,
    })
}

/// PRO-1: names, phone and language apply at once; a different e-mail address only once its
/// link is followed (or at once when it is already one of the person's confirmed addresses).
pub async fn save_profile(
    state: &AppState,
    who: &SignedIn,
    change: &ProfileChange,
) -> Result<PrimaryChange, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let before = person_profile::details(&mut tx, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
    let after = PersonDetails {
        first_name: change.first_name.as_str().to_owned(),
        last_name: change.last_name.as_str().to_owned(),
        language: change.language.code().to_owned(),
    };
    person_profile::update_details(&mut tx, who.person_id(), &after, now).await?;
    let phone_before = save_phone(&mut tx, who, change, now).await?;
    let before_json = serde_json::json!({
        "first_name": before.first_name, "last_name": before.last_name,
        "language": before.language, "phone": phone_before,
    });
    let after_json = serde_json::json!({
        "first_name": after.first_name, "last_name": after.last_name,
        "language": after.language, "phone": change.phone.as_ref().map(|p| p.as_str()),
    });
    record(&mut tx, who, "person.profile_updated", &before_json.to_string(), &after_json.to_string(), now).await?;
    let email = want_primary(&mut tx, state, who, &after, &change.email, now).await?;
    tx.commit().await?;
    Ok(email)
}

/// The primary phone as asked: changed, added, or removed when left blank. Answers the number
/// it had before, for the audit row.
async fn save_phone(
    conn: &mut AnyConnection,
    who: &SignedIn,
    change: &ProfileChange,
    now: i64,
) -> Result<Option<String>, ServiceError> {
    let current = person_profile::primary_phone(conn, who.person_id()).await?;
    match (&current, &change.phone) {
        (Some((id, _)), Some(phone)) => {
            person_profile::update_phone(conn, who.person_id(), id, phone.as_str(), &phone.digits()).await?
        }
        (None, Some(phone)) => {
            // A business user's phone is a business phone, as at registration (REG-10).
            let kind = if who.organization_id().is_some() { "business" } else { "personal" };
            person_profile::insert_primary_phone(conn, who.person_id(), phone.as_str(), &phone.digits(), kind, now)
                .await?
        }
        (Some((id, _)), None) => person_profile::remove_phone(conn, who.person_id(), id).await?,
        (None, None) => {}
    }
    Ok(current.map(|(_, number)| number))
}

/// PRO-4's page: the opt-in (REG-11) with its history, and the notification language (NOT-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub marketing_opt_in: bool,
    pub language: Language,
    pub history: Vec<PreferenceChange>,
}

const OPTED_IN: &str = "opted_in";
const OPTED_OUT: &str = "opted_out";

pub async fn preferences(state: &AppState, who: &SignedIn) -> Result<Preferences, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let person = person_profile::details(&mut conn, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
    let current = person_profile::preference(&mut conn, who.person_id(), MARKETING_OPT_IN).await?;
    let history = persons::preference_history(&mut conn, who.person_id(), MARKETING_OPT_IN).await?;
    Ok(Preferences {
        marketing_opt_in: current.as_deref() == Some(OPTED_IN),
        language: Language::from_code(&person.language),
        history,
    })
}

/// PRO-4: a changed opt-in is recorded with its history (value, when, by whom, source
/// `profile`: REG-11); saving the same value again adds no history row. The language is the
/// one mail to this person is written in (NOT-4).
pub async fn save_preferences(state: &AppState, who: &SignedIn, change: PreferencesChange) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let person = person_profile::details(&mut tx, who.person_id()).await?.ok_or(ServiceError::NotFound)?;
    let wanted = if change.marketing_opt_in { OPTED_IN } else { OPTED_OUT };
    let current = person_profile::preference(&mut tx, who.person_id(), MARKETING_OPT_IN).await?;
    if current.as_deref() != Some(wanted) {
        persons::set_preference(
            &mut tx,
            who.person_id(),
            MARKETING_OPT_IN,
            wanted,
            PreferenceSource::Profile,
            Some(who.user_id()),
            now,
        )
        .await?;
    }
    person_profile::set_language(&mut tx, who.person_id(), change.language.code(), now).await?;
    let before = serde_json::json!({ "marketing_opt_in": current, "language": person.language });
    let after = serde_json::json!({ "marketing_opt_in": wanted, "language": change.language.code() });
    record(&mut tx, who, "person.preferences_updated", &before.to_string(), &after.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

async fn record(
    conn: &mut AnyConnection,
    who: &SignedIn,
    action: &str,
    before: &str,
    after: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(who.user_id()),
        action,
        subject_type: "person",
        subject_id: who.person_id(),
        before: Some(before),
        after: Some(after),
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(())
}
