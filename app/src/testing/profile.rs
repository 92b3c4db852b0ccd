//! The profile's adapters as tests drive them (PRO-1, PRO-2, PRO-4): the caller's capability,
//! forms given as field pairs, and the confirmation links the e-mails carry.

use super::adapters::register;
use super::databases::strings;
use super::fixtures::person;
use crate::backend::authz::SignedIn;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::domain::{EmailAddForm, Language, PreferencesForm, ProfileForm};

/// Registers an individual `username` (e-mail `<username>@example.com`) and answers their
/// capability as a signed-in user.
pub async fn signed_in_person(state: &AppState, username: &str, first_name: &str) -> SignedIn {
    let user = register(state, "individual", &person(username, first_name), Language::English)
        .await
        .unwrap_or_else(|e| panic!("register {username}: {e:?}"));
    signed_in_user(state, &user.user_id).await
}

/// The `SignedIn` capability of `user_id`, loaded as for a request.
pub async fn signed_in_user(state: &AppState, user_id: &str) -> SignedIn {
    let caller = crate::backend::authz::caller(state, user_id).await.expect("caller");
    caller.signed_in().expect("a signed-in user")
}

fn form<T: serde::de::DeserializeOwned>(fields: &[(&str, &str)]) -> T {
    serde_html_form::from_str(&serde_html_form::to_string(fields).expect("pairs encode")).expect("the form")
}

/// Saves Personal information as the server function does; where the page goes next.
pub async fn save_profile(state: &AppState, who: &SignedIn, fields: &[(&str, &str)]) -> Result<String, ServiceError> {
    let form: ProfileForm = form(fields);
    crate::api::profile::save_profile::save_profile_for(state, who, &form).await
}

/// A Personal information form for `first` Lee with `email` and `phone`, in English.
pub fn profile_fields<'a>(first: &'a str, email: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("first_name", first), ("last_name", "Lee"), ("email", email), ("phone", phone), ("language", "en")]
}

pub async fn add_email(state: &AppState, who: &SignedIn, email: &str) -> Result<(), ServiceError> {
    let form = EmailAddForm { email: email.to_owned() };
    crate::api::profile::add_email::add_email_for(state, who, &form).await
}

pub async fn save_preferences(state: &AppState, who: &SignedIn, fields: &[(&str, &str)]) -> Result<(), ServiceError> {
    let form: PreferencesForm = form(fields);
    crate::api::profile::save_preferences::save_preferences_for(state, who, &form).await
}

/// The token of the last confirmation link e-mailed to `address` (PRO-1).
pub async fn confirmation_token(state: &AppState, address: &str) -> String {
    let bodies = strings(
        state,
        "SELECT text_body FROM outbox WHERE template = 'email_confirm' AND recipient = $1 ORDER BY created_at, id",
        &[address],
    )
    .await;
    let text = bodies.last().unwrap_or_else(|| panic!("no confirmation e-mail to {address}"));
    let (_, rest) = text.split_once("/profile/email/confirm/").expect("a confirmation link");
    rest.split_whitespace().next().expect("a token").to_owned()
}

/// The person's stored addresses as (address, primary), the primary first.
pub async fn addresses_of(state: &AppState, who: &SignedIn) -> Vec<(String, bool)> {
    let book = crate::backend::services::email_addresses::email_book(state, who).await.expect("email book");
    book.stored.into_iter().map(|e| (e.address, e.is_primary)).collect()
}
