//! `/profile/accounts` (PRO-3): a business user's active assigned accounts for the session's
//! customer, and choosing the primary one. Individuals are refused here, not only in the menu.

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::AccountEntry;

/// Where setting the primary account lands.
pub const PRIMARY_SET: &str = "/profile/accounts?notice=primary";

#[server(prefix = "/rpc", endpoint = "profile/accounts")]
pub async fn my_accounts() -> Result<Vec<AccountEntry>, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{reference, to_app_error};

    let holder = caller().await?.account_holder().map_err(|e| to_app_error(e, reference()))?;
    let any_primary = holder.accounts().iter().any(|a| a.is_primary);
    Ok(holder
        .accounts()
        .iter()
        .enumerate()
        .map(|(i, a)| AccountEntry {
            id: a.id.clone(),
            account_number: a.account_number.clone(),
            // PRO-3: with no primary chosen, the first assigned account counts as primary.
            is_primary: a.is_primary || (!any_primary && i == 0),
            in_session: holder.session_account() == Some(a.id.as_str()),
        })
        .collect())
}

#[server(prefix = "/rpc", endpoint = "profile/accounts/primary")]
pub async fn set_primary_account(id: String) -> Result<String, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::services::session_scope;

    let (state, reference) = (state()?, reference());
    let holder = caller().await?.account_holder().map_err(|e| to_app_error(e, reference.clone()))?;
    session_scope::set_primary_account(&state, &holder, &id).await.map_err(|e| to_app_error(e, reference))?;
    Ok(PRIMARY_SET.to_owned())
}
