//! `/company/administrators` (PRO-6, ORG_ADMINISTRATORS): the company's primary users.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    pub name: String,
    pub username: String,
    pub email: String,
    pub phone: String,
}

#[server(prefix = "/rpc", endpoint = "company/administrators")]
pub async fn company_administrators() -> Result<Vec<Administrator>, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::OrgAdministrators).map_err(|e| to_app_error(e, reference()))?;
    let rows = crate::backend::services::company_profile::administrators(&state()?, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(rows
        .into_iter()
        .map(|r| Administrator {
            name: format!("{} {}", r.first_name, r.last_name),
            username: r.username,
            email: r.email.unwrap_or_default(),
            phone: r.phone.unwrap_or_default(),
        })
        .collect())
}
