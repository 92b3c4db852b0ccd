//! `/login` (LOG-1): from JavaScript (this server function) or a plain HTML post (`handle`).
//! Both read the browser's device cookie (SEC-4) and set a fresh one on success.

use leptos::prelude::*;

use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "auth/sign_in")]
pub async fn sign_in(username: String, password: String, ref_: Option<String>) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, state};
    let state = state()?;
    let session = session().await?;
    let headers =
        leptos_axum::extract::<http::HeaderMap>().await.map_err(|_| AppError::Internal { reference: reference() })?;
    let signed_in =
        handle(&state, &session, reference(), &username, &password, ref_.as_deref(), &cookie_header(&headers)).await?;
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&signed_in.device_cookie))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    Ok(signed_in.next)
}

/// Where to go after signing in, and the device cookie to set (`Set-Cookie` value).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct SignInAnswer {
    pub next: String,
    pub device_cookie: String,
}

/// Every `Cookie` header of a request as one (HTTP/2 may split them).
#[cfg(feature = "ssr")]
pub fn cookie_header(headers: &http::HeaderMap) -> String {
    let values: Vec<&str> = headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    values.join("; ")
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
    cookie_header: &str,
) -> Result<SignInAnswer, AppError> {
    use crate::api::ssr::{landing, start_session, to_app_error};

    let signed_in = crate::backend::services::sign_in::sign_in_from(state, username, password, cookie_header)
        .await
        .map_err(|e| {
            // The username is not logged: it may be a password typed into the wrong field (SEC-7).
            tracing::info!(reference = %reference, outcome = %e, "sign-in refused");
            to_app_error(e, reference.clone())
        })?;
    start_session(session, &signed_in.user_id, state.now_ms()).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "session start failed");
        AppError::Internal { reference: reference.clone() }
    })?;
    tracing::info!(reference = %reference, user_id = %signed_in.user_id, "signed in");
    let next = if signed_in.must_change_password { "/password/change".to_owned() } else { landing(ref_) };
    Ok(SignInAnswer { next, device_cookie: signed_in.device_cookie })
}
