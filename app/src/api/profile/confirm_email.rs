//! `/profile/email/confirm/{token}` (PRO-1, PRO-2): whether a confirmation link is live for the
//! caller (the GET page changes nothing), and following it (a post, from JavaScript or plain).

use leptos::prelude::*;

use crate::api::error::AppError;

pub const CONFIRMED: &str = "/profile/emails?notice=confirmed";

/// The address the link would confirm; `None` when it is unknown, used, expired or another
/// user's — all look the same.
#[server(prefix = "/rpc", endpoint = "profile/email/confirmation")]
pub async fn email_confirmation(token: String) -> Result<Option<String>, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    crate::backend::services::email_addresses::confirmation_for(&state, &who, &token).await.map_err(failed)
}

#[server(prefix = "/rpc", endpoint = "profile/email/confirm")]
pub async fn confirm_email(token: String) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    crate::backend::services::email_addresses::confirm_email(&state, &who, &token).await.map_err(failed)?;
    Ok(CONFIRMED.to_owned())
}
