//! Requests awaiting approval (registrations and enrollments, APR), their decisions, and the
//! guarded state changes: every change names the version it read, so two approvers (or two
//! server instances) acting at once change a request only once (APR-7, APR-9).

use sqlx::{AnyConnection, FromRow};

use crate::backend::db::DbKind;
use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::{Decision, RequestKind, RequestStatus};

pub struct NewRequest<'a> {
    pub kind: RequestKind,
    pub user_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub user_type_id: Option<&'a str>,
    pub enrollment_id: Option<&'a str>,
    pub definition_id: &'a str,
    pub step_count: i64,
    pub is_partial: bool,
    pub is_online_access: bool,
    pub created_person_id: Option<&'a str>,
    pub created_contact_id: Option<&'a str>,
    pub created_organization_id: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, request: &NewRequest<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO requests (id, kind, user_id, organization_id, user_type_id, enrollment_id, definition_id, status, \
           current_step, step_count, step_started_at, rerouted_to_universal, is_partial, is_online_access, \
           created_person_id, created_contact_id, created_organization_id, lease_until, submitted_at, decided_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $15, 1, $8, $9, 0, $10, $11, $12, $13, $14, NULL, $9, NULL, 0)",
    )
    .bind(&id)
    .bind(<&'static str>::from(request.kind))
    .bind(request.user_id)
    .bind(request.organization_id)
    .bind(request.user_type_id)
    .bind(request.enrollment_id)
    .bind(request.definition_id)
    .bind(request.step_count)
    .bind(now_ms)
    .bind(super::flag(request.is_partial))
    .bind(super::flag(request.is_online_access))
    .bind(request.created_person_id)
    .bind(request.created_contact_id)
    .bind(request.created_organization_id)
    .bind(<&'static str>::from(RequestStatus::Pending))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The definition's step count for a new request. On PostgreSQL the definition's row is
/// share-locked first, so that a console edit of its steps (which locks the row and moves
/// waiting requests to an archived copy, `approval_setup::keep_waiting_requests`) either sees
/// this request or runs before the count (APR-2); SQLite's writers are already one at a time.
pub async fn step_count(conn: &mut AnyConnection, definition_id: &str) -> Result<i64, StoreError> {
    if DbKind::of(conn) == DbKind::Postgres {
        sqlx::query("SELECT id FROM approval_definitions WHERE id = $1 FOR SHARE")
            .bind(definition_id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM approval_steps WHERE definition_id = $1")
        .bind(definition_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// A request as the use cases see it, converted once from its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: String,
    pub kind: RequestKind,
    pub user_id: String,
    pub organization_id: Option<String>,
    pub user_type_id: Option<String>,
    pub enrollment_id: Option<String>,
    pub definition_id: Option<String>,
    pub status: RequestStatus,
    pub current_step: i64,
    pub step_count: i64,
    /// Past its last step (APR-7): only the universal approver (and merchant admins) decide.
    pub rerouted_to_universal: bool,
    pub is_partial: bool,
    pub is_online_access: bool,
    pub created_person_id: Option<String>,
    pub created_contact_id: Option<String>,
    pub created_organization_id: Option<String>,
    pub version: i64,
}

impl RequestRecord {
    /// The step being decided is the last one (or the request already went past it).
    pub fn at_last_step(&self) -> bool {
        self.rerouted_to_universal || self.current_step >= self.step_count
    }
}

#[derive(FromRow)]
struct RequestRow {
    id: String,
    kind: String,
    user_id: String,
    organization_id: Option<String>,
    user_type_id: Option<String>,
    enrollment_id: Option<String>,
    definition_id: Option<String>,
    status: String,
    current_step: i64,
    step_count: i64,
    rerouted_to_universal: i64,
    is_partial: i64,
    is_online_access: i64,
    created_person_id: Option<String>,
    created_contact_id: Option<String>,
    created_organization_id: Option<String>,
    version: i64,
}

impl TryFrom<RequestRow> for RequestRecord {
    type Error = StoreError;

    fn try_from(row: RequestRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: parse_stored("request kind", &row.kind)?,
            status: parse_stored("request status", &row.status)?,
            id: row.id,
            user_id: row.user_id,
            organization_id: row.organization_id,
            user_type_id: row.user_type_id,
            enrollment_id: row.enrollment_id,
            definition_id: row.definition_id,
            current_step: row.current_step,
            step_count: row.step_count,
            rerouted_to_universal: row.rerouted_to_universal != 0,
            is_partial: row.is_partial != 0,
            is_online_access: row.is_online_access != 0,
            created_person_id: row.created_person_id,
            created_contact_id: row.created_contact_id,
            created_organization_id: row.created_organization_id,
            version: row.version,
        })
    }
}

const REQUEST_COLUMNS: &str =
    "id, kind, user_id, organization_id, user_type_id, enrollment_id, definition_id, status, \
   current_step, step_count, rerouted_to_universal, is_partial, is_online_access, created_person_id, \
   created_contact_id, created_organization_id, version";

pub async fn find(conn: &mut AnyConnection, request_id: &str) -> Result<Option<RequestRecord>, StoreError> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1");
    let row: Option<RequestRow> = sqlx::query_as(&sql).bind(request_id).fetch_optional(&mut *conn).await?;
    row.map(RequestRecord::try_from).transpose()
}

/// The user's pending requests of `kind` (at most 100: a user asks for a handful of services).
pub async fn pending_of_user(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: RequestKind,
) -> Result<Vec<RequestRecord>, StoreError> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE user_id = $1 AND kind = $2 AND status = $3 \
         ORDER BY submitted_at, id LIMIT 100"
    );
    let rows: Vec<RequestRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(<&'static str>::from(kind))
        .bind(<&'static str>::from(RequestStatus::Pending))
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(RequestRecord::try_from).collect()
}

/// Moves the request to its next step, if nobody changed it since `version` was read (APR-9).
pub async fn advance(conn: &mut AnyConnection, request: &RequestRecord, now_ms: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE requests SET current_step = current_step + 1, step_started_at = $1, version = version + 1 \
         WHERE id = $2 AND status = $3 AND version = $4",
    )
    .bind(now_ms)
    .bind(&request.id)
    .bind(<&'static str>::from(RequestStatus::Pending))
    .bind(request.version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The request's final status after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    Rejected,
}

impl Outcome {
    fn status(self) -> RequestStatus {
        match self {
            Self::Approved => RequestStatus::Approved,
            Self::Rejected => RequestStatus::Rejected,
        }
    }

    pub fn decision(self) -> Decision {
        match self {
            Self::Approved => Decision::Approved,
            Self::Rejected => Decision::Rejected,
        }
    }
}

/// Decides the request for good, if still as read (APR-9).
pub async fn close(
    conn: &mut AnyConnection,
    request: &RequestRecord,
    outcome: Outcome,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE requests SET status = $1, decided_at = $2, version = version + 1 \
         WHERE id = $3 AND status = $4 AND version = $5",
    )
    .bind(<&'static str>::from(outcome.status()))
    .bind(now_ms)
    .bind(&request.id)
    .bind(<&'static str>::from(RequestStatus::Pending))
    .bind(request.version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_decision(
    conn: &mut AnyConnection,
    request_id: &str,
    step: i64,
    decision: Decision,
    decided_by: Option<&str>,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO request_decisions (id, request_id, step, decision, decided_by, comment, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(request_id)
    .bind(step)
    .bind(<&'static str>::from(decision))
    .bind(decided_by)
    .bind(comment)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Requests whose current step has waited longer than the timeout, leased to this caller for
/// `lease_ms` so that several instances never handle the same one twice (APR-7).
pub async fn claim_timed_out(
    conn: &mut AnyConnection,
    older_than: i64,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "UPDATE requests SET lease_until = $1 WHERE id IN ( \
           SELECT id FROM requests WHERE status = $5 AND rerouted_to_universal = 0 AND step_started_at < $2 \
             AND (lease_until IS NULL OR lease_until < $3) ORDER BY step_started_at LIMIT $4) \
         AND (lease_until IS NULL OR lease_until < $3) RETURNING id",
    )
    .bind(now_ms + lease_ms)
    .bind(older_than)
    .bind(now_ms)
    .bind(limit)
    .bind(<&'static str>::from(RequestStatus::Pending))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The request moves on without a decision (APR-7 timeouts; a step only the requester could
/// decide): to the next step, or past the last one to the universal approver. Guarded by the
/// version like a decision.
pub async fn move_on(conn: &mut AnyConnection, request: &RequestRecord, now_ms: i64) -> Result<bool, StoreError> {
    let last = request.current_step >= request.step_count;
    let done = sqlx::query(
        "UPDATE requests SET current_step = CASE WHEN $1 = 1 THEN current_step ELSE current_step + 1 END, \
           rerouted_to_universal = CASE WHEN $1 = 1 THEN 1 ELSE rerouted_to_universal END, \
           step_started_at = $2, lease_until = NULL, version = version + 1 \
         WHERE id = $3 AND status = $5 AND version = $4",
    )
    .bind(i64::from(last))
    .bind(now_ms)
    .bind(&request.id)
    .bind(request.version)
    .bind(<&'static str>::from(RequestStatus::Pending))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
