//! The signed-in user for the header (LOG-5).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::SessionUser;

#[server(prefix = "/rpc", endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::api::ssr::{session, session_user_id, state};
    let state = state()?;
    let session = session().await?;
    let Some(user_id) = session_user_id(&session, &state).await else { return Ok(None) };
    let user = crate::backend::authz::current_user(&state, &user_id)
        .await
        .map_err(|_| AppError::Internal { reference: crate::api::ssr::reference() })?;
    let Some(u) = user else { return Ok(None) };
    let menu = crate::backend::authz::menu(&state, &u)
        .await
        .map_err(|_| AppError::Internal { reference: crate::api::ssr::reference() })?
        .into_iter()
        .map(|(label, href)| crate::api::types::MenuEntry { label: label.to_owned(), href: href.to_owned() })
        .collect();
    Ok(Some(SessionUser {
        name: format!("{} {}", u.first_name, u.last_name),
        username: u.username,
        is_merchant_admin: u.is_merchant_admin,
        must_change_password: u.must_change_password,
        menu,
    }))
}
