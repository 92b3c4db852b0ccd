//! `/password/change` (LOG-3, LOG-6): from JavaScript (this server function) or a plain post.

use leptos::prelude::*;

use crate::api::error::AppError;

#[server(prefix = "/rpc", endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, state};
    let state = state()?;
    let session = session().await?;
    handle(&state, &session, reference(), &current_password, &new_password, &new_password_confirm).await
}

/// Changes the password, ends the user's other sessions and starts a fresh one here (SEC-2).
#[cfg(feature = "ssr")]
pub async fn handle(
    state: &crate::backend::AppState,
    session: &tower_sessions::Session,
    reference: String,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<String, AppError> {
    use crate::api::ssr::{session_user_id, start_session, to_app_error};
    let Some(user_id) = session_user_id(session, state).await else { return Err(AppError::Unauthenticated) };
    let changed =
        crate::backend::services::password_change::change_password(state, &user_id, current, new, confirm).await;
    if let Err(crate::backend::ServiceError::Unauthenticated) = changed {
        // LOG-2: a user who may no longer sign in loses this session too.
        let _ = session.flush().await;
    }
    changed.map_err(|e| to_app_error(e, reference.clone()))?;
    start_session(session, &user_id, state.now_ms()).await.map_err(|_| AppError::Internal { reference })?;
    Ok("/?notice=password_changed".to_owned())
}
