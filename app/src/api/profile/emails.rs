//! `/profile/emails` (PRO-2): the caller's e-mail addresses.

use leptos::prelude::*;

use super::EmailBookData;
use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "profile/emails")]
pub async fn my_emails() -> Result<EmailBookData, AppError> {
    use super::ssr::{failed, me};
    use crate::backend::services::email_addresses::email_book;

    let (state, who) = me().await?;
    let book = email_book(&state, &who).await.map_err(failed)?;
    Ok(EmailBookData {
        stored: book
            .stored
            .into_iter()
            .map(|e| super::EmailEntry { id: e.id, address: e.address, is_primary: e.is_primary })
            .collect(),
        waiting: book.waiting.into_iter().map(|(address, _)| address).collect(),
    })
}
