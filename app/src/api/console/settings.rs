//! CON-2: `/console/settings`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::user_types::ChoiceView;
use crate::api::error::AppError;
use crate::domain::settings_form::SettingsForm;

pub const SETTINGS_PAGE: &str = "/console/settings";

/// The values in force (stored or default, by key) and the possible universal approvers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsInfo {
    pub values: std::collections::BTreeMap<String, String>,
    pub approvers: Vec<ChoiceView>,
}

#[server(prefix = "/rpc", endpoint = "console/settings/view")]
pub async fn current_settings() -> Result<SettingsInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::settings_form::SETTINGS;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let view = crate::backend::services::console::settings::view(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let values = SETTINGS
        .iter()
        .map(|s| (s.key.to_owned(), view.stored.get(s.key).cloned().unwrap_or_else(|| s.default.to_owned())))
        .collect();
    let approvers = view.approvers.into_iter().map(|c| ChoiceView { id: c.id, name: c.name }).collect();
    Ok(SettingsInfo { values, approvers })
}

#[server(prefix = "/rpc", endpoint = "console/settings/save", input = server_fn::codec::Json)]
pub async fn save_settings(#[server(flatten)] form: SettingsForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let values = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let changed = crate::backend::services::console::settings::save(&state, &admin, &values)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{SETTINGS_PAGE}?notice={}", if changed == 0 { "unchanged" } else { "saved" }))
}
