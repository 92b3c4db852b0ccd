//! The approval queue (APR-2 … APR-9): who may decide a request at its current step, and the
//! paged list of what an approver may decide. Nobody decides their own request: every branch
//! excludes the requester (`r.user_id <> $1`).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::store::json_rows;
use crate::domain::RequestKind;

/// Who is asking: a company user (with the permissions that matter here) or a merchant admin.
#[derive(Debug, Clone)]
pub struct ApproverKey<'a> {
    pub user_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub pending_approvals: bool,
    pub group_approvals: bool,
    pub is_universal: bool,
    pub is_merchant_admin: bool,
    /// An integration user of the JSON API deciding merchant-wide (API-3): its id when its
    /// sales groups limit which organizations' requests it reaches (API-2).
    pub sales_of: Option<&'a str>,
}

/// The condition "the approver may decide request `r` at its current step `s`", whatever the
/// request's status (the caller adds that). Binds: $1 user id, $2 organization id,
/// $3 PENDING_APPROVALS held, $4 PENDING_APPROVALS_GROUP held, $5 universal approver,
/// $6 merchant admin (APR-8: sees and decides everything but their own), $7 the integration
/// user whose sales groups limit a merchant-wide approver (API-2; NULL: not limited).
const MAY_DECIDE: &str = "(r.user_id <> $1 AND ( ($6 = 1 AND ($7 IS NULL OR r.organization_id IS NULL OR r.organization_id IN \
       (SELECT ig.group_name FROM integration_user_groups ig WHERE ig.integration_user_id = $7 AND ig.group_kind = 'sales'))) \
   OR ((r.rerouted_to_universal = 1 OR s.approver_kind = 'universal') AND $5 = 1) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'primary_users' AND $3 = 1 AND r.organization_id = $2) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'user' AND s.approver_user_id = $1) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'group' AND $4 = 1 AND r.organization_id = $2 \
       AND EXISTS (SELECT 1 FROM approval_group_members m JOIN approval_groups g ON g.id = m.group_id \
                   WHERE m.group_id = s.approval_group_id AND m.user_id = $1 \
                     AND (g.organization_id IS NULL OR g.organization_id = r.organization_id))) ))";

/// Enrollments appear only once the user's registration is approved (APR-4, APR-10).
const LISTABLE: &str = "r.status = 'pending' AND (r.kind = 'registration' OR u.status = 'active')";

/// One row of Pending Approvals (APR-4), converted once from its query row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PendingRow {
    pub id: String,
    pub kind: RequestKind,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: Option<String>,
    pub user_type: Option<String>,
    pub company: Option<String>,
    pub enrollment: Option<String>,
    pub submitted_at: i64,
    pub current_step: i64,
    pub step_count: i64,
    /// The last approver's comment, shown to the next (APR-2).
    pub last_comment: Option<String>,
}

#[derive(FromRow, serde::Deserialize)]
struct QueueRow {
    id: String,
    kind: String,
    first_name: String,
    last_name: String,
    username: String,
    email: Option<String>,
    user_type: Option<String>,
    company: Option<String>,
    enrollment: Option<String>,
    submitted_at: i64,
    current_step: i64,
    step_count: i64,
    last_comment: Option<String>,
}

impl TryFrom<QueueRow> for PendingRow {
    type Error = StoreError;

    fn try_from(row: QueueRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: parse_stored("request kind", &row.kind)?,
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            username: row.username,
            email: row.email,
            user_type: row.user_type,
            company: row.company,
            enrollment: row.enrollment,
            submitted_at: row.submitted_at,
            current_step: row.current_step,
            step_count: row.step_count,
            last_comment: row.last_comment,
        })
    }
}

// The last approver's comment: steps passed without a decision (APR-7) do not hide it.
const PENDING_COLUMNS: &str = "r.id, r.kind, p.first_name, p.last_name, u.username, \
   (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
   ut.short_name AS user_type, o.name AS company, en.name AS enrollment, r.submitted_at, r.current_step, r.step_count, \
   (SELECT d.comment FROM request_decisions d WHERE d.request_id = r.id AND d.decision = 'approved' \
      ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS last_comment";

/// What the shown columns read, joined to a request `r`.
const PENDING_JOINS: &str = "JOIN users u ON u.id = r.user_id \
   JOIN persons p ON p.id = u.person_id \
   LEFT JOIN approval_steps s ON s.definition_id = r.definition_id AND s.position = r.current_step \
   LEFT JOIN user_types ut ON ut.id = r.user_type_id \
   LEFT JOIN organizations o ON o.id = r.organization_id \
   LEFT JOIN enrollments en ON en.id = r.enrollment_id";

/// What a queue branch needs to decide whether a request is in it: the requester's status
/// ([`LISTABLE`]) and the current step. The page's rows are chosen from these alone; the
/// columns shown are read for the chosen rows only ([`page_of`]).
const CHOOSING_FROM: &str = "FROM requests r \
   JOIN users u ON u.id = r.user_id \
   LEFT JOIN approval_steps s ON s.definition_id = r.definition_id AND s.position = r.current_step";

type Query<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>;

fn bind_approver<'q, O>(query: Query<'q, O>, a: &'q ApproverKey<'q>) -> Query<'q, O> {
    query
        .bind(a.user_id)
        .bind(a.organization_id.unwrap_or(""))
        .bind(i64::from(a.pending_approvals))
        .bind(i64::from(a.group_approvals))
        .bind(i64::from(a.is_universal))
        .bind(i64::from(a.is_merchant_admin))
        .bind(a.sales_of)
}

/// The ways a request can be the approver's, each a query the database can answer from an
/// index. One `OR` across them made the planner scan every pending request (1.9 s a page with
/// 1,000,000 users); a `UNION` of the branches that apply keeps each one indexed.
fn queue_branches(approver: &ApproverKey<'_>) -> Vec<&'static str> {
    if approver.is_merchant_admin {
        // APR-8: everything, by the (status, submitted_at) index; an integration user only
        // what its sales groups reach (API-2).
        return vec![
            "r.status = 'pending' AND r.user_id <> $1 AND ($7 IS NULL OR r.organization_id IS NULL \
             OR r.organization_id IN (SELECT ig.group_name FROM integration_user_groups ig \
               WHERE ig.integration_user_id = $7 AND ig.group_kind = 'sales'))",
        ];
    }
    let mut branches = Vec::new();
    if approver.organization_id.is_some() && (approver.pending_approvals || approver.group_approvals) {
        // The approver's own company, by the (status, organization_id, submitted_at) index.
        branches.push(
            "r.status = 'pending' AND r.organization_id = $2 AND r.rerouted_to_universal = 0 AND r.user_id <> $1 \
             AND ((s.approver_kind = 'primary_users' AND $3 = 1) \
               OR (s.approver_kind = 'user' AND s.approver_user_id = $1) \
               OR (s.approver_kind = 'group' AND $4 = 1 AND EXISTS (SELECT 1 FROM approval_group_members m \
                     JOIN approval_groups g ON g.id = m.group_id WHERE m.group_id = s.approval_group_id \
                     AND m.user_id = $1 AND (g.organization_id IS NULL OR g.organization_id = r.organization_id))))",
        );
    }
    // Steps naming this user, in any company: only definitions that name them are looked at.
    branches.push(
        "r.status = 'pending' AND r.rerouted_to_universal = 0 AND s.approver_kind = 'user' AND s.approver_user_id = $1 \
         AND r.user_id <> $1 \
         AND r.definition_id IN (SELECT n.definition_id FROM approval_steps n WHERE n.approver_user_id = $1)",
    );
    if approver.is_universal {
        branches.push(
            "r.status = 'pending' AND (r.rerouted_to_universal = 1 OR s.approver_kind = 'universal') AND r.user_id <> $1",
        );
    }
    branches
}

/// One page of the requests `approver` may decide, oldest first (APR-4), paged.
pub async fn pending_for(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<PendingRow>, StoreError> {
    let union = queue_union(approver);
    let sql = page_of(conn, &format!("SELECT q.id FROM ({union}) q ORDER BY q.submitted_at, q.id LIMIT $8 OFFSET $9"));
    let rows: Vec<QueueRow> =
        json_rows::fetch(conn, bind_approver(sqlx::query_as(&sql), approver).bind(limit).bind(offset)).await?;
    rows.into_iter().map(PendingRow::try_from).collect()
}

/// The ids and submission times of the requests `approver` may decide (each branch once).
fn queue_union(approver: &ApproverKey<'_>) -> String {
    queue_branches(approver)
        .into_iter()
        .map(|branch| format!("SELECT r.id, r.submitted_at {CHOOSING_FROM} WHERE {LISTABLE} AND {branch}"))
        .collect::<Vec<_>>()
        .join(" UNION ")
}

/// The rows of the page `chosen` selects (a query of ids in `q`, ordered and limited), in the
/// queue's order, as one JSON array ([`json_rows`]).
fn page_of(conn: &AnyConnection, chosen: &str) -> String {
    let rows = format!("SELECT {PENDING_COLUMNS} FROM requests r {PENDING_JOINS} WHERE r.id IN (SELECT id FROM page)");
    let page = json_rows::wrap(conn, &rows, QUEUE_COLUMNS, "submitted_at, id");
    format!("WITH page AS ({chosen}) {page}")
}

/// The names [`PENDING_COLUMNS`] gives, in [`QueueRow`]'s field order.
const QUEUE_COLUMNS: &str = "id, kind, first_name, last_name, username, email, user_type, company, enrollment, \
   submitted_at, current_step, step_count, last_comment";

/// The requests `approver` may decide that come after `after` (submitted at, id) in the queue's
/// order, at most `limit`: keyset paging for the JSON API (API-4).
pub async fn pending_after(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    after: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<PendingRow>, StoreError> {
    let union = queue_union(approver);
    let sql = page_of(
        conn,
        &format!(
            "SELECT q.id FROM ({union}) q WHERE q.submitted_at > $8 OR (q.submitted_at = $8 AND q.id > $9) \
             ORDER BY q.submitted_at, q.id LIMIT $10"
        ),
    );
    let (at, id) = after.unwrap_or((i64::MIN, ""));
    let rows: Vec<QueueRow> =
        json_rows::fetch(conn, bind_approver(sqlx::query_as(&sql), approver).bind(at).bind(id).bind(limit)).await?;
    rows.into_iter().map(PendingRow::try_from).collect()
}

/// The request if `approver` may decide it now; `None` otherwise (not theirs, or decided).
pub async fn decidable(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    request_id: &str,
) -> Result<Option<PendingRow>, StoreError> {
    let sql = format!(
        "SELECT {PENDING_COLUMNS} FROM requests r {PENDING_JOINS} WHERE r.id = $8 AND {LISTABLE} AND {MAY_DECIDE}"
    );
    let row: Option<QueueRow> =
        bind_approver(sqlx::query_as(&sql), approver).bind(request_id).fetch_optional(&mut *conn).await?;
    row.map(PendingRow::try_from).transpose()
}

/// Whether the request is within `approver`'s reach at the step it is (or was last) at,
/// whatever its status: only then may they learn that it was already decided (APR-9); any
/// other request is answered as unknown (SEC-5).
pub async fn in_scope(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    request_id: &str,
) -> Result<bool, StoreError> {
    let sql = format!(
        "SELECT r.id FROM requests r \
         LEFT JOIN approval_steps s ON s.definition_id = r.definition_id AND s.position = r.current_step \
         WHERE r.id = $8 AND {MAY_DECIDE}"
    );
    let row: Option<(String,)> =
        bind_approver(sqlx::query_as(&sql), approver).bind(request_id).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ApproverKind, Decision, RequestStatus, UserStatus};

    // covers: APR-2, APR-4
    /// The statuses and kinds spelled inside the queue's SQL are the domain's stored strings, so
    /// renaming a variant cannot leave the queue silently matching nothing.
    #[test]
    fn every_literal_in_the_queue_sql_is_a_stored_vocabulary_string() {
        let key = |merchant| ApproverKey {
            user_id: "u",
            organization_id: Some("o"),
            pending_approvals: true,
            group_approvals: true,
            is_universal: true,
            is_merchant_admin: merchant,
            sales_of: None,
        };
        let mut sql = vec![MAY_DECIDE, LISTABLE, PENDING_COLUMNS, PENDING_JOINS];
        sql.extend(queue_branches(&key(false)));
        sql.extend(queue_branches(&key(true)));
        let sql = sql.join(" ");
        let literals: Vec<&str> = sql.split('\'').skip(1).step_by(2).collect();
        assert!(literals.len() > 10, "{literals:?}");
        for literal in literals {
            let known = literal.parse::<RequestStatus>().is_ok()
                || literal.parse::<RequestKind>().is_ok()
                || literal.parse::<ApproverKind>().is_ok()
                || literal.parse::<UserStatus>().is_ok()
                || literal.parse::<Decision>().is_ok()
                || literal.parse::<crate::domain::integration::IntegrationGroupKind>().is_ok();
            assert!(known, "{literal:?} is not a stored vocabulary string");
        }
    }
}
