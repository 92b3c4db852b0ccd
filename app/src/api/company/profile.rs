//! `/company` (PRO-5): the company profile, read with ORG_DETAILS and saved with
//! UPDATE_ORG_DETAILS; a business user without the latter is refused here, whatever the page
//! showed (SEC-5).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::CompanyProfileForm;

pub const COMPANY: &str = "/company";

/// What `/company` shows; `editable` says whether the form or the read-only view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyProfileInfo {
    pub registry_id: String,
    pub form: CompanyProfileForm,
    pub editable: bool,
    /// REG-10: the company phone is required.
    pub phone_required: bool,
}

/// The profile; with `for_change`, only for a caller who may change it (the pages that only
/// make sense for them — adding or editing an address — are refused by URL too).
#[server(prefix = "/rpc", endpoint = "company/profile")]
pub async fn company_profile(for_change: bool) -> Result<CompanyProfileInfo, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let permission = if for_change { Permission::UpdateOrgDetails } else { Permission::OrgDetails };
    let admin = caller.company_admin(permission).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let view = crate::backend::services::company_profile::company_profile(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(CompanyProfileInfo {
        registry_id: view.registry_id,
        form: CompanyProfileForm {
            company_name: view.name,
            website: view.website.unwrap_or_default(),
            annual_revenue: view.annual_revenue.map(|n| n.to_string()).unwrap_or_default(),
            company_phone: view.phone.unwrap_or_default(),
        },
        editable: view.editable,
        phone_required: ssr::phone_required(&state).await.map_err(|e| to_app_error(e, reference()))?,
    })
}

#[server(prefix = "/rpc", endpoint = "company/profile/save")]
pub async fn save_company_profile(#[server(flatten)] form: CompanyProfileForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::UpdateOrgDetails).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let required = ssr::phone_required(&state).await.map_err(|e| to_app_error(e, reference()))?;
    let profile = form.validate(required).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::company_profile::update_company_profile(&state, &admin, &profile)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), "company profile saved");
    Ok(format!("{COMPANY}?notice=saved"))
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::backend::settings::Settings;
    use crate::backend::{AppState, ServiceError};

    /// REG-10: `mandate_business_phone`.
    pub async fn phone_required(state: &AppState) -> Result<bool, ServiceError> {
        let mut conn = state.db.pool().acquire().await?;
        Ok(Settings::load(&mut conn).await?.mandate_business_phone)
    }
}
