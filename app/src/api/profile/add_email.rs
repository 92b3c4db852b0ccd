//! `/profile/emails` (PRO-2): asking to add an address; it is stored once confirmed.

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::EmailAddForm;

pub const CONFIRMATION_SENT: &str = "/profile/emails?notice=confirmation_sent";

#[server(prefix = "/rpc", endpoint = "profile/emails/add")]
pub async fn add_email(#[server(flatten)] form: EmailAddForm) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    add_email_for(&state, &who, &form).await.map_err(failed)?;
    Ok(CONFIRMATION_SENT.to_owned())
}

#[cfg(feature = "ssr")]
pub async fn add_email_for(
    state: &crate::backend::AppState,
    who: &crate::backend::authz::SignedIn,
    form: &EmailAddForm,
) -> Result<(), crate::backend::ServiceError> {
    let address = form.validate().map_err(crate::backend::ServiceError::Validation)?;
    crate::backend::services::email_addresses::add_email(state, who, &address).await
}
