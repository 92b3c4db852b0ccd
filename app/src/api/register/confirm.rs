//! Partial registration (PAR-1, PAR-2): `/register/confirm` lists the types that fit what is
//! known about a signed-in user whose customer record is incomplete, and each type's "Confirm
//! registration" form completes it — from JavaScript (these server functions) or as a plain
//! HTML post (the generic form handler runs the same function).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::api::types::UserTypeEntry;
use crate::domain::{RegistrationForm, RegistrationRules};

/// What `/register/confirm` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfirmationChoices {
    /// PAR-1: the types offered.
    Choose(Vec<UserTypeEntry>),
    /// A confirmation waits for approval.
    Awaiting,
    /// Nothing to complete.
    Complete,
}

/// A "Confirm registration" form: its type, rules and starting values (PAR-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationFormInfo {
    pub key: String,
    pub long_name: String,
    pub rules: RegistrationRules,
    pub known: Vec<(String, String)>,
}

#[server(prefix = "/rpc", endpoint = "register/confirm_choices")]
pub async fn confirm_choices() -> Result<ConfirmationChoices, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::ServiceError;
    let partial = match caller().await?.partial_user() {
        Ok(partial) => partial,
        Err(ServiceError::AwaitingApproval) => return Ok(ConfirmationChoices::Awaiting),
        Err(ServiceError::Forbidden) => return Ok(ConfirmationChoices::Complete),
        Err(e) => return Err(to_app_error(e, reference())),
    };
    let types = crate::backend::services::registration::confirmation_choices(&state()?, &partial)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ConfirmationChoices::Choose(
        types.into_iter().map(|t| UserTypeEntry { key: t.key, long_name: t.long_name }).collect(),
    ))
}

#[server(prefix = "/rpc", endpoint = "register/confirm_form")]
pub async fn confirm_form(type_key: String) -> Result<ConfirmationFormInfo, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::services::registration::{confirmation_defaults, confirmation_setup};
    let (state, reference) = (state()?, reference());
    let partial = caller().await?.partial_user().map_err(|e| to_app_error(e, reference.clone()))?;
    let setup =
        confirmation_setup(&state, &partial, &type_key).await.map_err(|e| to_app_error(e, reference.clone()))?;
    let known = confirmation_defaults(&state, &partial).await.map_err(|e| to_app_error(e, reference))?;
    Ok(ConfirmationFormInfo {
        key: setup.user_type.key,
        long_name: setup.user_type.long_name,
        rules: setup.rules,
        known: known.into_iter().map(|(name, value)| (name.to_owned(), value)).collect(),
    })
}

/// PAR-2: confirms and answers where the browser goes next: the page the user asked for with
/// auto-approval, the pending page otherwise.
#[server(prefix = "/rpc", endpoint = "register/confirm", input = server_fn::codec::Json)]
pub async fn confirm_registration(
    type_key: String,
    #[server(flatten)] form: RegistrationForm,
    #[server(default)]
    #[server(rename = "ref")]
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::capability::caller;
    use crate::api::register::submit::PENDING_PATH;
    use crate::api::ssr::{landing, reference, state, to_app_error};
    use crate::backend::services::registration::{confirm, confirmation_setup};
    use crate::backend::ServiceError;
    use crate::domain::Language;

    let (state, reference) = (state()?, reference());
    let fail = |e: ServiceError| to_app_error(e, reference.clone());
    let partial = caller().await?.partial_user().map_err(fail)?;
    let setup = confirmation_setup(&state, &partial, &type_key).await.map_err(fail)?;
    let confirmation = form.validate_confirmation(&setup.rules).map_err(ServiceError::Validation).map_err(fail)?;
    let confirmed = confirm(&state, &partial, &setup, confirmation, Language::English).await.map_err(fail)?;
    tracing::info!(reference = %reference, user_id = %confirmed.user_id, "registration confirmed");
    if confirmed.needs_approval {
        return Ok(PENDING_PATH.to_owned());
    }
    Ok(landing(ref_.as_deref()))
}
