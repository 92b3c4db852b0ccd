//! `/forgot` (LOG-4): from JavaScript (this server function) or a plain post (the generic form
//! handler runs this same function). The answer never depends on what matched.

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::ForgotLoginForm;

/// Where every accepted request lands: the same page, with the same neutral message.
pub const FORGOT_SENT: &str = "/forgot?sent=1";

#[server(prefix = "/rpc", endpoint = "auth/forgot")]
pub async fn forgot(#[server(flatten)] form: ForgotLoginForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};

    let (state, reference) = (state()?, reference());
    forgot_for(&state, &form).await.map_err(|e| to_app_error(e, reference))?;
    Ok(FORGOT_SENT.to_owned())
}

/// The adapter's work: the form validated as the browser does, then the use case.
#[cfg(feature = "ssr")]
pub async fn forgot_for(
    state: &crate::backend::AppState,
    form: &ForgotLoginForm,
) -> Result<(), crate::backend::ServiceError> {
    use crate::backend::services::login_help::request_login_help;
    use crate::backend::ServiceError;

    let request = form.validate().map_err(ServiceError::Validation)?;
    request_login_help(state, &request).await
}
