//! CON-5 and CON-6: the audit log (read only: there is no use case, and no store function, that
//! changes or removes an entry) and the e-mail outbox with retry of a failed message.

use serde_json::json;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::audit::{self, AuditEntry, AuditFilter, AuditRow};
use crate::backend::store::outbox::{self, OutboxEntry};

/// A page of the audit log, newest first.
pub async fn audit_log(
    state: &AppState,
    _admin: &MerchantAdmin,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(audit::search(&mut conn, filter, limit).await?)
}

/// The statuses of the outbox (NOT-3).
pub const OUTBOX_STATUSES: [&str; 3] = ["queued", "sent", "failed"];

/// A page of the outbox, newest first, optionally of one status.
pub async fn outbox(
    state: &AppState,
    _admin: &MerchantAdmin,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OutboxEntry>, ServiceError> {
    let status = match status {
        Some(s) if OUTBOX_STATUSES.contains(&s) => Some(s),
        Some(_) => return Err(ServiceError::NotFound),
        None => None,
    };
    let mut conn = state.db.pool().acquire().await?;
    Ok(outbox::list(&mut conn, status, limit, offset).await?)
}

/// CON-6: queues a failed message again; `NotFound` unless it is failed. Audited.
pub async fn retry(state: &AppState, admin: &MerchantAdmin, id: &str) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    outbox::retry(&mut tx, id, now).await?;
    let (before, after) = (json!({ "status": "failed" }).to_string(), json!({ "status": "queued" }).to_string());
    let entry = AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action: "outbox.retried",
        subject_type: "outbox",
        subject_id: id,
        before: Some(&before),
        after: Some(&after),
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
