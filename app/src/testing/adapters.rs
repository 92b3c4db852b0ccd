//! The adapters' work as tests drive it: a form as field → value pairs, read into the domain
//! form, validated, and given to the use case — the path every page and server function takes.

use crate::backend::error::ServiceError;
use crate::backend::services::registration::Registered;
use crate::backend::services::sign_in::SignedIn;
use crate::backend::state::AppState;
use crate::domain::{
    ForgotLoginForm, Language, PasswordChangeForm, PasswordResetForm, RegistrationForm, SignInForm, SignInRefusal,
};

/// A submitted form as tests write it: field name → value.
pub type Fields = std::collections::HashMap<String, String>;

/// Registers as the registration server function does (REG-5 … REG-14).
pub async fn register(
    state: &AppState,
    type_key: &str,
    fields: &Fields,
    language: Language,
) -> Result<Registered, ServiceError> {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let body = serde_html_form::to_string(&pairs).expect("form pairs encode");
    let form: RegistrationForm = serde_html_form::from_str(&body).expect("a registration form");
    crate::api::register::submit::register_form(state, type_key, &form, language).await
}

/// Signs in as the sign-in server function does, with the request's `Cookie` header (SEC-4).
pub async fn sign_in_from(
    state: &AppState,
    username: &str,
    password: &str,
    cookie_header: &str,
) -> Result<SignedIn, ServiceError> {
    let form = SignInForm { username: username.to_owned(), password: password.to_owned() };
    let credentials = form.validate().map_err(|refusal| match refusal {
        SignInRefusal::Missing(fields) => ServiceError::Validation(fields),
        SignInRefusal::Incorrect => ServiceError::SignInFailed,
    })?;
    crate::backend::services::sign_in::sign_in(state, &credentials, cookie_header).await
}

/// Signs in from a browser without a device cookie.
pub async fn sign_in(state: &AppState, username: &str, password: &str) -> Result<SignedIn, ServiceError> {
    sign_in_from(state, username, password, "").await
}

/// Changes `user_id`'s password as the server function does: the caller's capability (refused
/// when they may not use their login), the form validated, then the use case.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), ServiceError> {
    let caller = crate::backend::authz::caller(state, user_id).await?;
    let form = PasswordChangeForm {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
        new_password_confirm: confirm.to_owned(),
    };
    crate::api::auth::change_password::change_password_for(state, &caller, &form).await
}

/// Asks for login help as the forgot server function does (LOG-4), then runs the background
/// job that looks the logins up and queues the e-mail, as the server would a moment later.
pub async fn forgot(state: &AppState, username: &str, email: &str) -> Result<usize, ServiceError> {
    let form = ForgotLoginForm { username: username.to_owned(), email: email.to_owned() };
    crate::api::auth::forgot::forgot_for(state, &form).await?;
    crate::backend::services::login_help::send_login_help(state).await
}

/// Sets a password from an e-mailed link's token as the reset server function does (LOG-6).
pub async fn reset_password(state: &AppState, token: &str, new: &str, confirm: &str) -> Result<(), ServiceError> {
    let form = PasswordResetForm { new_password: new.to_owned(), new_password_confirm: confirm.to_owned() };
    crate::api::auth::reset_password::reset_password_for(state, token, &form).await
}
