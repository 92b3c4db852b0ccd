//! `/console`: the console's home.

use leptos::prelude::*;

use super::ConsoleSummary;
use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "console/overview")]
pub async fn console_overview() -> Result<ConsoleSummary, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let (pending_requests, failed_messages) =
        crate::backend::services::console::overview(&state, &admin).await.map_err(|e| to_app_error(e, reference()))?;
    Ok(ConsoleSummary { pending_requests, failed_messages })
}
