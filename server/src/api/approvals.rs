//! API-3: the pending requests an integration user may decide (merchant-wide, APR-8, within its
//! sales groups, API-2), and approving or rejecting them through the pages' use cases (APR-5,
//! APR-6, REJ). A request decided already answers 409 (APR-9).

use axum::extract::Path;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::backend::services::approvals::{self, Approved};
use app::backend::services::integration_api::page_limit;
use app::backend::store::approvals::PendingRow;
use app::backend::{AppState, ServiceError};
use app::domain::integration::ApiScope;
use app::domain::FieldError;

use super::auth::Client;
use super::extract::{cursor_key, encode_cursor, rfc3339, ApiJson, ApiQuery};
use super::problem::{ApiError, Reference};

/// A request awaiting a decision (APR-4's columns).
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingApproval {
    pub id: String,
    /// `registration` or `enrollment`.
    #[schema(example = "registration")]
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: Option<String>,
    /// The user type's short name.
    pub user_type: Option<String>,
    pub company: Option<String>,
    pub enrollment: Option<String>,
    pub submitted_at: String,
    /// The current step (from 1) of `step_count`.
    pub step: i64,
    pub step_count: i64,
    /// The last approver's comment (APR-2).
    pub last_comment: Option<String>,
}

impl From<PendingRow> for PendingApproval {
    fn from(r: PendingRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind.to_string(),
            first_name: r.first_name,
            last_name: r.last_name,
            username: r.username,
            email: r.email,
            user_type: r.user_type,
            company: r.company,
            enrollment: r.enrollment,
            submitted_at: rfc3339(r.submitted_at),
            step: r.current_step,
            step_count: r.step_count,
            last_comment: r.last_comment,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalPage {
    pub items: Vec<PendingApproval>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub cursor: Option<String>,
    /// Items per page: default 50, at most 200.
    pub limit: Option<i64>,
}

/// The queue's key of a row: submitted at, then id.
fn queue_key(row: &PendingRow) -> String {
    format!("{}:{}", row.submitted_at, row.id)
}

fn parse_queue_key(key: &str) -> Option<(i64, String)> {
    let (at, id) = key.split_once(':')?;
    Some((at.parse().ok()?, id.to_owned()))
}

/// Lists the pending requests, oldest first.
#[utoipa::path(
    get,
    path = "/approvals",
    tag = "approvals",
    params(PageQuery),
    security(("client_credentials" = ["approvals:read"])),
    responses((status = 200, description = "A page of pending requests, oldest first", body = ApprovalPage))
)]
pub async fn list_approvals(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<ApprovalPage>, ApiError> {
    let fail = |e| ApiError::from_service(e, &reference);
    let approver = client.approver(ApiScope::ApprovalsRead).map_err(fail)?;
    let after =
        match cursor_key(query.cursor.as_deref(), &reference)? {
            None => None,
            Some(key) => Some(parse_queue_key(&key).ok_or_else(|| {
                ApiError::bad_request(&reference, "cursor", "The cursor is not one this API gave out")
            })?),
        };
    let limit = page_limit(query.limit);
    let mut rows =
        approvals::pending_after(&state, &approver, after.as_ref().map(|(at, id)| (*at, id.as_str())), limit + 1)
            .await
            .map_err(fail)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more.then(|| rows.last().map(|r| encode_cursor(&queue_key(r)))).flatten();
    Ok(Json(ApprovalPage { items: rows.into_iter().map(PendingApproval::from).collect(), next_cursor }))
}

/// The body of an approval.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApproveRequest {
    /// Shown to the next approver (APR-2); at most 2000 characters.
    pub comment: String,
    /// Ids of the company's active accounts to assign on the final approval (APR-5).
    pub accounts: Vec<String>,
}

/// The body of a rejection.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RejectRequest {
    /// Sent to the requester (APR-6); at most 2000 characters.
    pub comment: String,
}

/// What a decision did.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResult {
    pub id: String,
    /// `approved` (final), `pending` (more steps remain) or `rejected`.
    #[schema(example = "approved")]
    pub status: &'static str,
}

/// The pages call the comment `comments`; the API's field is `comment` (API-3).
fn api_error(e: ServiceError, reference: &str) -> ApiError {
    match e {
        ServiceError::Validation(fields) => ApiError::validation(
            reference,
            fields
                .into_iter()
                .map(|f| if f.field == "comments" { FieldError::new("comment", f.message) } else { f })
                .collect(),
        ),
        other => ApiError::from_service(other, reference),
    }
}

/// Approves a request's current step (the final step enables the user, APR-5).
#[utoipa::path(
    post,
    path = "/approvals/{id}/approve",
    tag = "approvals",
    params(
        ("id" = String, Path, description = "The request's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)"),
    ),
    request_body(content = ApproveRequest, description = "Optional"),
    security(("client_credentials" = ["approvals:write"])),
    responses(
        (status = 200, description = "Approved (or approved at this step, still pending)", body = DecisionResult),
        (status = 409, description = "Already decided (APR-9)", body = super::problem::Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid comment or accounts", body = super::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn approve(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApproveRequest>,
) -> Result<Json<DecisionResult>, ApiError> {
    let approver = client.approver(ApiScope::ApprovalsWrite).map_err(|e| api_error(e, &reference))?;
    let outcome = approvals::approve(&state, &approver, &id, &body.comment, &body.accounts)
        .await
        .map_err(|e| api_error(e, &reference))?;
    let status = match outcome {
        Approved::StillPending => "pending",
        Approved::Final { .. } => "approved",
    };
    Ok(Json(DecisionResult { id, status }))
}

/// Rejects a request (REJ-1 … REJ-3 follow).
#[utoipa::path(
    post,
    path = "/approvals/{id}/reject",
    tag = "approvals",
    params(
        ("id" = String, Path, description = "The request's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)"),
    ),
    request_body(content = RejectRequest, description = "Optional"),
    security(("client_credentials" = ["approvals:write"])),
    responses(
        (status = 200, description = "Rejected", body = DecisionResult),
        (status = 409, description = "Already decided (APR-9)", body = super::problem::Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid comment", body = super::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn reject(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RejectRequest>,
) -> Result<Json<DecisionResult>, ApiError> {
    let approver = client.approver(ApiScope::ApprovalsWrite).map_err(|e| api_error(e, &reference))?;
    approvals::reject(&state, &approver, &id, &body.comment).await.map_err(|e| api_error(e, &reference))?;
    Ok(Json(DecisionResult { id, status: "rejected" }))
}
