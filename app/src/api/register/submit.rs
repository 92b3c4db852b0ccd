//! Submitting a registration form, from JavaScript (this server function) or as a plain HTML
//! post (the server's form handler calls `handle`): one path through the use case (REG-15).

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::error::AppError;

/// Registers and answers where the browser goes next.
#[server(prefix = "/rpc", endpoint = "register/submit", input = server_fn::codec::Json)]
pub async fn submit_registration(
    type_key: String,
    fields: HashMap<String, String>,
    ref_: Option<String>,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, state};
    let state = state()?;
    let session = session().await?;
    handle(&state, &session, reference(), &type_key, &fields, ref_.as_deref()).await
}

pub const PENDING_PATH: &str = "/register/pending";
pub const COMPLETE_PATH: &str = "/register/complete";

#[cfg(feature = "ssr")]
pub async fn handle(
    state: &crate::backend::AppState,
    session: &tower_sessions::Session,
    reference: String,
    type_key: &str,
    fields: &HashMap<String, String>,
    ref_: Option<&str>,
) -> Result<String, AppError> {
    use crate::api::ssr::{landing, start_session, to_app_error};
    use crate::backend::services::registration;
    use crate::domain::Language;

    let registered = registration::register(state, type_key, fields, Language::English)
        .await
        .map_err(|e| to_app_error(e, reference.clone()))?;
    if registered.needs_approval {
        return Ok(PENDING_PATH.to_owned());
    }
    // REG-13: with no approval needed the user is signed in and lands on `ref`.
    start_session(session, &registered.user_id, state.now_ms()).await.map_err(|e| {
        tracing::error!(reference = %reference, error = %e, "session start failed");
        AppError::Internal { reference: reference.clone() }
    })?;
    tracing::info!(reference = %reference, user_id = %registered.user_id, "registered and signed in");
    let next = landing(ref_);
    if registered.registry_id.is_some() {
        // REG-6: a new company first sees its Registry ID, then continues to `ref`.
        return Ok(format!("{COMPLETE_PATH}?ref={}", crate::ui::pages::register_list::urlencode(&next)));
    }
    Ok(next)
}
