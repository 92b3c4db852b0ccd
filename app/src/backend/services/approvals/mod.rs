//! Deciding requests (APR-4 … APR-10) and the clean-up after a rejection (REJ). Each decision is
//! one transaction guarded by the request's version, so two approvers acting at once produce
//! exactly one decision (APR-9).

mod approve;
mod reject;
mod timeouts;

use sqlx::AnyConnection;

pub use approve::{approve, Approved};
pub use reject::reject;
pub use timeouts::reroute_timed_out;

use crate::backend::authz::Approver;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::approvals::{self, PendingRow};
use crate::backend::store::requests::{self, RequestRecord};
use crate::backend::store::{accounts, audit};
use crate::domain::{ConflictCode, RequestStatus};

const MAX_COMMENT: usize = 2000;

/// The last page of a queue anyone may ask for: beyond it a page is not found, so that no page
/// number can make `page * per_page` overflow (a queue of 100,000 pages is no queue to page).
pub const MAX_PAGE: i64 = 100_000;
/// The most rows one page may hold.
pub const MAX_PER_PAGE: i64 = 200;

/// One page (from 0) of the requests the approver may decide (APR-4), oldest first.
pub async fn pending(
    state: &AppState,
    approver: &Approver,
    page: i64,
    per_page: i64,
) -> Result<Vec<PendingRow>, ServiceError> {
    if page > MAX_PAGE {
        return Err(ServiceError::NotFound);
    }
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    // At most MAX_PAGE × MAX_PER_PAGE: cannot overflow.
    let offset = page.max(0) * per_page;
    let mut conn = state.db.pool().acquire().await?;
    Ok(approvals::pending_for(&mut conn, &approver.key(), per_page, offset).await?)
}

/// The requests the approver may decide after `after` (submitted at, id), oldest first, at most
/// `limit` (API-4: keyset paging for the JSON API).
pub async fn pending_after(
    state: &AppState,
    approver: &Approver,
    after: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<PendingRow>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(approvals::pending_after(&mut conn, &approver.key(), after, limit.clamp(1, MAX_PER_PAGE)).await?)
}

/// The request, if this approver may decide it now (the approve/reject pages).
pub async fn decidable(state: &AppState, approver: &Approver, request_id: &str) -> Result<PendingRow, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    approvals::decidable(&mut conn, &approver.key(), request_id).await?.ok_or(ServiceError::NotFound)
}

fn clean_comment(comment: &str) -> Result<Option<String>, ServiceError> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT {
        return Err(ServiceError::field("comments", format!("Comments must be at most {MAX_COMMENT} characters")));
    }
    Ok((!comment.is_empty()).then(|| comment.to_owned()))
}

/// Opens the decision. A request outside the approver's reach is answered exactly like an
/// unknown id (SEC-5: whether it exists or was decided is not theirs to learn); only within it
/// does "already decided" (APR-9) come back.
async fn open_decision(
    conn: &mut AnyConnection,
    approver: &Approver,
    request_id: &str,
) -> Result<RequestRecord, ServiceError> {
    let key = approver.key();
    let request = requests::find(conn, request_id).await?.ok_or(ServiceError::NotFound)?;
    if !approvals::in_scope(conn, &key, request_id).await? {
        return Err(ServiceError::NotFound);
    }
    match request.status {
        RequestStatus::Pending => {}
        RequestStatus::Approved | RequestStatus::Rejected => return Err(lost_race()),
    }
    if approvals::decidable(conn, &key, request_id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    Ok(request)
}

fn lost_race() -> ServiceError {
    ServiceError::Conflict(ConflictCode::AlreadyDecided)
}

async fn log(
    conn: &mut AnyConnection,
    approver: &Approver,
    action: &str,
    request_id: &str,
    comment: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    audit::append(
        conn,
        &audit::AuditEntry {
            actor: approver.actor(),
            action,
            subject_type: "request",
            subject_id: request_id,
            before: Some(RequestStatus::Pending.into()),
            after: None,
            justification: comment,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The active accounts of the request's company, to offer on the Approve page (REJ-4).
pub async fn assignable_accounts(
    state: &AppState,
    request_id: &str,
) -> Result<Vec<accounts::CompanyAccount>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let request = requests::find(&mut conn, request_id).await?.ok_or(ServiceError::NotFound)?;
    match request.organization_id {
        Some(org) => Ok(accounts::active_of_organization(&mut conn, &org).await?),
        None => Ok(Vec::new()),
    }
}
