//! REG-6: what the confirmation page shows a new company's first user.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredCompany {
    pub company_name: String,
    pub registry_id: String,
}

/// The signed-in user's company and Registry ID; `None` when not signed in or no company.
#[server(prefix = "/rpc", endpoint = "register/confirmation")]
pub async fn company_confirmation() -> Result<Option<RegisteredCompany>, AppError> {
    use crate::api::ssr::{reference, session, session_user_id, state};
    let state = state()?;
    let session = session().await?;
    let Some(user_id) = session_user_id(&session, &state).await else { return Ok(None) };
    let internal = |_| AppError::Internal { reference: reference() };
    let Some(user) = crate::backend::authz::current_user(&state, &user_id).await.map_err(internal)? else {
        return Ok(None);
    };
    let Some(organization_id) = user.organization_id else { return Ok(None) };
    let mut conn = state.db.pool().acquire().await.map_err(|_| AppError::Internal { reference: reference() })?;
    let row = crate::backend::store::organizations::name_and_registry_id(&mut conn, &organization_id)
        .await
        .map_err(|_| AppError::Internal { reference: reference() })?;
    Ok(row.map(|(company_name, registry_id)| RegisteredCompany { company_name, registry_id }))
}
