//! The header's switches (PRO-3, PRO-7): the session's account, and with multi-customer access
//! its customer. Only a choice the caller's scope offers is kept; the session remembers it and
//! every request checks it again.

use leptos::prelude::*;

use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "session/account")]
pub async fn switch_account(
    account_id: String,
    #[server(default)]
    #[server(rename = "ref")]
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{landing, reference, session, to_app_error, CHOSEN_ACCOUNT};
    use crate::backend::services::session_scope::choose_account;

    let reference = reference();
    choose_account(&caller().await?, &account_id).map_err(|e| to_app_error(e, reference.clone()))?;
    session().await?.insert(CHOSEN_ACCOUNT, &account_id).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "could not keep the session's account");
        AppError::Internal { reference: reference.clone() }
    })?;
    Ok(landing(ref_.as_deref()))
}

#[server(prefix = "/rpc", endpoint = "session/customer")]
pub async fn switch_customer(
    organization_id: String,
    #[server(default)]
    #[server(rename = "ref")]
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::capability::caller;
    use crate::api::ssr::{landing, reference, session, to_app_error, CHOSEN_ACCOUNT, CHOSEN_ORGANIZATION};
    use crate::backend::services::session_scope::choose_customer;

    let reference = reference();
    choose_customer(&caller().await?, &organization_id).map_err(|e| to_app_error(e, reference.clone()))?;
    let session = session().await?;
    let internal = |e: tower_sessions::session::Error| {
        tracing::error!(reference = %reference, error = %e, "could not keep the session's customer");
        AppError::Internal { reference: reference.clone() }
    };
    // SEC-2: what the session may reach changes, so it gets a new ID; the account chosen for
    // the previous customer is dropped (the new customer's primary applies).
    session.cycle_id().await.map_err(internal)?;
    session.remove::<String>(CHOSEN_ACCOUNT).await.map_err(internal)?;
    session.insert(CHOSEN_ORGANIZATION, &organization_id).await.map_err(internal)?;
    Ok(landing(ref_.as_deref()))
}
