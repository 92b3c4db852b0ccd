//! `/profile/emails/{id}/remove` (PRO-2): removing a non-primary address of the caller's.

use leptos::prelude::*;

use crate::api::error::AppError;

pub const REMOVED: &str = "/profile/emails?notice=removed";

#[server(prefix = "/rpc", endpoint = "profile/emails/remove")]
pub async fn remove_email(id: String) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    crate::backend::services::email_addresses::remove_email(&state, &who, &id).await.map_err(failed)?;
    Ok(REMOVED.to_owned())
}
