//! The signed-in user for the header (LOG-5) and their menu (ADM-9).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::SessionUser;

#[server(prefix = "/rpc", endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::api::types::{MenuEntry, ScopeOption};
    let Some(caller) = crate::api::capability::optional_caller().await? else { return Ok(None) };
    let menu = crate::backend::authz::menu(&caller)
        .into_iter()
        .map(|item| MenuEntry { label: item.label.to_owned(), href: item.href.to_owned() })
        .collect();
    let scope = caller.scope();
    let accounts = scope
        .accounts
        .iter()
        .map(|a| ScopeOption {
            id: a.id.clone(),
            label: a.account_number.clone(),
            current: scope.account_id.as_deref() == Some(a.id.as_str()),
        })
        .collect();
    Ok(Some(SessionUser {
        name: caller.name(),
        username: caller.username().to_owned(),
        is_merchant_admin: caller.is_merchant_admin(),
        is_business: caller.organization_id().is_some(),
        must_change_password: caller.must_change_password(),
        menu,
        account: scope
            .account_id
            .as_deref()
            .and_then(|id| scope.accounts.iter().find(|a| a.id == id))
            .map(|a| a.account_number.clone()),
        accounts: if scope.accounts.len() > 1 { accounts } else { Vec::new() },
        customers: scope
            .customers
            .iter()
            .map(|c| ScopeOption {
                id: c.id.clone(),
                label: c.name.clone(),
                current: scope.organization_id.as_deref() == Some(c.id.as_str()),
            })
            .collect(),
    }))
}
