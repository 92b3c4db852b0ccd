//! The signed-in user for the header (LOG-5) and their menu (ADM-9).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::SessionUser;

#[server(prefix = "/rpc", endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::api::types::MenuEntry;
    let Some(caller) = crate::api::capability::optional_caller().await? else { return Ok(None) };
    let menu = crate::backend::authz::menu(&caller)
        .into_iter()
        .map(|item| MenuEntry { label: item.label.to_owned(), href: item.href.to_owned() })
        .collect();
    Ok(Some(SessionUser {
        name: caller.name(),
        username: caller.username().to_owned(),
        is_merchant_admin: caller.is_merchant_admin(),
        is_business: caller.organization_id().is_some(),
        must_change_password: caller.must_change_password(),
        menu,
    }))
}
