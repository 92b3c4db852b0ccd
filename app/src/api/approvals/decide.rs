//! Approve and Reject (APR-5, APR-6): server functions for JavaScript, and `handle_*` for the
//! plain HTML posts. Both answer where to go next.

use leptos::prelude::*;

use super::Scope;
use crate::api::error::AppError;
use crate::domain::DecisionForm;

pub const STILL_PENDING: &str = "Approved. The request still needs approval by other approvers";

#[server(prefix = "/rpc", endpoint = "approvals/approve", input = server_fn::codec::Json)]
pub async fn approve_request(
    scope: Scope,
    id: String,
    #[server(flatten)] form: DecisionForm,
) -> Result<String, AppError> {
    let (state, approver) = super::ssr::approver(scope).await?;
    handle_approve(&state, &approver, crate::api::ssr::reference(), scope, &id, &form.comments, &form.accounts).await
}

#[server(prefix = "/rpc", endpoint = "approvals/reject", input = server_fn::codec::Json)]
pub async fn reject_request(
    scope: Scope,
    id: String,
    #[server(flatten)] form: DecisionForm,
) -> Result<String, AppError> {
    let (state, approver) = super::ssr::approver(scope).await?;
    handle_reject(&state, &approver, crate::api::ssr::reference(), scope, &id, &form.comments).await
}

#[cfg(feature = "ssr")]
pub async fn handle_approve(
    state: &crate::backend::AppState,
    approver: &crate::backend::authz::Approver,
    reference: String,
    scope: Scope,
    id: &str,
    comments: &str,
    accounts: &[String],
) -> Result<String, AppError> {
    use crate::backend::services::approvals::{approve, Approved};
    let outcome = approve(state, approver, id, comments, accounts)
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
    approver: &crate::backend::authz::Approver,
    reference: String,
    scope: Scope,
    id: &str,
    comments: &str,
) -> Result<String, AppError> {
    crate::backend::services::approvals::reject(state, approver, id, comments)
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
