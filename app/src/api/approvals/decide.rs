//! Approve and Reject (APR-5, APR-6): server functions for JavaScript, and `handle_*` for the
//! plain HTML posts. Both answer where to go next.

use leptos::prelude::*;

use super::Scope;
use crate::api::error::AppError;

pub const STILL_PENDING: &str = "Approved. The request still needs approval by other approvers";

#[server(prefix = "/rpc", endpoint = "approvals/approve", input = server_fn::codec::Json)]
pub async fn approve_request(
    scope: Scope,
    id: String,
    comments: String,
    accounts: Vec<String>,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, session_user_id, state};
    let state = state()?;
    let session = session().await?;
    let Some(user_id) = session_user_id(&session, &state).await else { return Err(AppError::Unauthenticated) };
    handle_approve(&state, &user_id, reference(), scope, &id, &comments, &accounts).await
}

#[server(prefix = "/rpc", endpoint = "approvals/reject", input = server_fn::codec::Json)]
pub async fn reject_request(scope: Scope, id: String, comments: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, session_user_id, state};
    let state = state()?;
    let session = session().await?;
    let Some(user_id) = session_user_id(&session, &state).await else { return Err(AppError::Unauthenticated) };
    handle_reject(&state, &user_id, reference(), scope, &id, &comments).await
}

#[cfg(feature = "ssr")]
pub async fn handle_approve(
    state: &crate::backend::AppState,
    user_id: &str,
    reference: String,
    scope: Scope,
    id: &str,
    comments: &str,
    accounts: &[String],
) -> Result<String, AppError> {
    use crate::backend::services::approvals::{approve, Approved};
    let approver = super::ssr::approver_for(state, user_id, scope).await?;
    let outcome = approve(state, &approver, id, comments, accounts)
        .await
        .map_err(|e| crate::api::ssr::to_app_error(e, reference.clone()))?;
    tracing::info!(reference = %reference, request_id = %id, ?outcome, "request approved");
    let notice = match outcome {
        Approved::StillPending => "step_approved",
        Approved::Final { .. } => "approved",
    };
    Ok(format!("{}?notice={notice}", scope.base()))
}

#[cfg(feature = "ssr")]
pub async fn handle_reject(
    state: &crate::backend::AppState,
    user_id: &str,
    reference: String,
    scope: Scope,
    id: &str,
    comments: &str,
) -> Result<String, AppError> {
    let approver = super::ssr::approver_for(state, user_id, scope).await?;
    crate::backend::services::approvals::reject(state, &approver, id, comments)
        .await
        .map_err(|e| crate::api::ssr::to_app_error(e, reference.clone()))?;
    tracing::info!(reference = %reference, request_id = %id, "request rejected");
    Ok(format!("{}?notice=rejected", scope.base()))
}

/// The confirmation shown on the queue after a decision.
pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "step_approved" => Some(STILL_PENDING),
        "approved" => Some("Approved. The user can now sign in."),
        "rejected" => Some("Rejected. The requester has been told by e-mail."),
        _ => None,
    }
}
