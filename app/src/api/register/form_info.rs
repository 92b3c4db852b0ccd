//! What a registration form needs to render and to run the server's rules in the browser
//! (REG-14): the type and its `RegistrationRules`.

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::RegistrationFormInfo;

#[server(prefix = "/rpc", endpoint = "register/form_info")]
pub async fn register_form_info(type_key: String) -> Result<RegistrationFormInfo, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    let setup = crate::backend::services::registration::registration_setup(&state()?, &type_key)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(RegistrationFormInfo { key: setup.user_type.key, long_name: setup.user_type.long_name, rules: setup.rules })
}
