//! `/profile/emails/{id}/primary` (PRO-2): making another confirmed address primary.

use leptos::prelude::*;

use crate::api::error::AppError;

pub const PRIMARY_CHANGED: &str = "/profile/emails?notice=primary";

#[server(prefix = "/rpc", endpoint = "profile/emails/primary")]
pub async fn make_primary_email(id: String) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    crate::backend::services::email_addresses::make_primary(&state, &who, &id).await.map_err(failed)?;
    Ok(PRIMARY_CHANGED.to_owned())
}
