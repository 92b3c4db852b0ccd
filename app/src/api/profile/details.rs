//! `/profile` (PRO-1): the Personal information form's stored values.

use leptos::prelude::*;

use super::ProfileData;
use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "profile/details")]
pub async fn my_profile() -> Result<ProfileData, AppError> {
    use super::ssr::{failed, me};
    use crate::backend::services::profile::profile;

    let (state, who) = me().await?;
    let p = profile(&state, &who).await.map_err(failed)?;
    Ok(ProfileData {
        first_name: p.first_name,
        last_name: p.last_name,
        email: p.email,
        phone: p.phone,
        language: p.language.code().to_owned(),
        pending_email: p.pending_email,
    })
}
