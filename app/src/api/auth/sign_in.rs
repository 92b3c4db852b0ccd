//! `/login` (LOG-1): from JavaScript (this server function) or a plain HTML post (the generic
//! form handler runs this same function). Both read the browser's device cookie (SEC-4) and
//! set a fresh one on success.

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
    use crate::api::ssr::{landing, reference, session, start_session, state, to_app_error};
    use crate::backend::services::sign_in::sign_in;
    use crate::backend::ServiceError;
    use crate::domain::SignInRefusal;

    let (state, session, reference) = (state()?, session().await?, reference());
    let credentials = form.validate().map_err(|refusal| match refusal {
        SignInRefusal::Missing(fields) => AppError::Validation { fields },
        SignInRefusal::Incorrect => to_app_error(ServiceError::SignInFailed, reference.clone()),
    })?;
    let headers = leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(|_| AppError::Internal { reference: reference.clone() })?;
    let signed_in = sign_in(&state, &credentials, &cookie_header(&headers)).await.map_err(|e| {
        // The username is not logged: it may be a password typed into the wrong field (SEC-7).
        tracing::info!(reference = %reference, outcome = %e, "sign-in refused");
        to_app_error(e, reference.clone())
    })?;
    start_session(&session, &signed_in.user_id, state.now_ms()).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "session start failed");
        AppError::Internal { reference: reference.clone() }
    })?;
    tracing::info!(reference = %reference, user_id = %signed_in.user_id, "signed in");
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&signed_in.device_cookie))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    // LOG-3: a temporary or expired password is changed before anything else.
    Ok(if signed_in.must_change_password { "/password/change".to_owned() } else { landing(ref_.as_deref()) })
}

/// Every `Cookie` header of a request as one (HTTP/2 may split them).
#[cfg(feature = "ssr")]
pub fn cookie_header(headers: &http::HeaderMap) -> String {
    let values: Vec<&str> = headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    values.join("; ")
}
