//! Submitting a registration form, from JavaScript (this server function) or as a plain HTML
//! post (the server's generic form handler runs this same function): one path (REG-15).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::RegistrationForm;

pub const PENDING_PATH: &str = "/register/pending";
pub const COMPLETE_PATH: &str = "/register/complete";

/// Registers and answers where the browser goes next.
#[server(prefix = "/rpc", endpoint = "register/submit", input = server_fn::codec::Json)]
pub async fn submit_registration(
    type_key: String,
    #[server(flatten)] form: RegistrationForm,
    #[server(default)]
    #[server(rename = "ref")]
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::ssr::{landing, reference, session, start_session, state, to_app_error};
    use crate::domain::{with_ref, Language};

    let (state, session, reference) = (state()?, session().await?, reference());
    let registered = register_form(&state, &type_key, &form, Language::English)
        .await
        .map_err(|e| to_app_error(e, reference.clone()))?;
    if registered.needs_approval {
        return Ok(PENDING_PATH.to_owned());
    }
    // REG-13: with no approval needed the user is signed in and lands on `ref`.
    start_session(&session, &registered.user_id, state.now_ms()).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "session start failed");
        AppError::Internal { reference: reference.clone() }
    })?;
    tracing::info!(reference = %reference, user_id = %registered.user_id, "registered and signed in");
    let next = landing(ref_.as_deref());
    if registered.registry_id.is_some() {
        // REG-6: a new company first sees its Registry ID, then continues to `ref`.
        return Ok(with_ref(COMPLETE_PATH, Some(&next)));
    }
    Ok(next)
}

/// The adapter's work: the type's rules, the form validated by them (the same `validate` the
/// browser runs, plus the common-password list), then the use case with the validated value.
#[cfg(feature = "ssr")]
pub async fn register_form(
    state: &crate::backend::AppState,
    type_key: &str,
    form: &RegistrationForm,
    language: crate::domain::Language,
) -> Result<crate::backend::services::registration::Registered, crate::backend::ServiceError> {
    use crate::backend::password::CommonPasswordList;
    use crate::backend::services::registration::{register, registration_setup};
    use crate::backend::ServiceError;

    let setup = registration_setup(state, type_key).await?;
    let registration = form.validate(&setup.rules, &CommonPasswordList).map_err(ServiceError::Validation)?;
    register(state, &setup, registration, language).await
}
