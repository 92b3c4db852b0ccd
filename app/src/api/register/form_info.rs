//! What a registration form needs to render and mirror the server's rules (REG-14).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::RegistrationFormInfo;

#[server(prefix = "/rpc", endpoint = "register/form_info")]
pub async fn register_form_info(type_key: String) -> Result<RegistrationFormInfo, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    let state = state()?;
    let form = crate::backend::services::registration::registration_form(&state, &type_key)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(RegistrationFormInfo {
        key: form.user_type.key,
        long_name: form.user_type.long_name,
        kind: form.user_type.kind,
        password_min_length: form.settings.password_min_length,
        password_hard_to_guess: form.settings.password_hard_to_guess,
        mandate_business_phone: form.settings.mandate_business_phone,
    })
}
