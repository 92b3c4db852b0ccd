//! `/profile/preferences` (PRO-4): saving the opt-in (REG-11) and the notification language
//! (NOT-4), from JavaScript or a plain post.

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::PreferencesForm;

pub const SAVED: &str = "/profile/preferences?notice=saved";

#[server(prefix = "/rpc", endpoint = "profile/preferences/save")]
pub async fn save_preferences(#[server(flatten)] form: PreferencesForm) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    save_preferences_for(&state, &who, &form).await.map_err(failed)?;
    Ok(SAVED.to_owned())
}

#[cfg(feature = "ssr")]
pub async fn save_preferences_for(
    state: &crate::backend::AppState,
    who: &crate::backend::authz::SignedIn,
    form: &PreferencesForm,
) -> Result<(), crate::backend::ServiceError> {
    let change = form.validate().map_err(crate::backend::ServiceError::Validation)?;
    crate::backend::services::profile::save_preferences(state, who, change).await
}
