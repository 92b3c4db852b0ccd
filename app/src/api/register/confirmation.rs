//! REG-6: what the confirmation page shows a new company's first user.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredCompany {
    pub company_name: String,
    pub registry_id: String,
}

/// The signed-in user's company and Registry ID; `None` when not signed in or no company.
#[server(prefix = "/rpc", endpoint = "register/confirmation")]
pub async fn company_confirmation() -> Result<Option<RegisteredCompany>, AppError> {
    use crate::api::capability::optional_caller;
    use crate::api::ssr::{reference, state, to_app_error};
    let Some(caller) = optional_caller().await? else { return Ok(None) };
    let signed_in = caller.signed_in().map_err(|e| to_app_error(e, reference()))?;
    let company = crate::backend::services::registration::company_confirmation(&state()?, &signed_in)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(company.map(|(company_name, registry_id)| RegisteredCompany { company_name, registry_id }))
}
