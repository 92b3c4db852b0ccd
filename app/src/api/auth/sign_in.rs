//! `/login` (LOG-1): from JavaScript (this server function) or a plain HTML post (`handle`).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::SignInForm;

#[server(prefix = "/rpc", endpoint = "auth/sign_in")]
pub async fn sign_in(
    #[server(flatten)] form: SignInForm,
    #[server(default)]
    #[server(rename = "ref")]
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, state};
    let state = state()?;
    let session = session().await?;
    handle(&state, &session, reference(), &form.username, &form.password, ref_.as_deref()).await
}

/// Signs in and answers where to go next: the forced password change (LOG-3) or `ref`.
#[cfg(feature = "ssr")]
pub async fn handle(
    state: &crate::backend::AppState,
    session: &tower_sessions::Session,
    reference: String,
    username: &str,
    password: &str,
    ref_: Option<&str>,
) -> Result<String, AppError> {
    use crate::api::ssr::{landing, start_session, to_app_error};

    let signed_in = crate::backend::services::sign_in::sign_in(state, username, password).await.map_err(|e| {
        // The username is not logged: it may be a password typed into the wrong field (SEC-7).
        tracing::info!(reference = %reference, outcome = %e, "sign-in refused");
        to_app_error(e, reference.clone())
    })?;
    start_session(session, &signed_in.user_id, state.now_ms()).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "session start failed");
        AppError::Internal { reference: reference.clone() }
    })?;
    tracing::info!(reference = %reference, user_id = %signed_in.user_id, "signed in");
    if signed_in.must_change_password {
        return Ok("/password/change".to_owned());
    }
    Ok(landing(ref_))
}
