//! The approval queue (APR-2 … APR-9): who may decide a request at its current step, the
//! paged list of what an approver may decide, and the guarded state changes.

use sqlx::{AnyConnection, FromRow};

use crate::backend::new_id;

/// Who is asking: a company user (with the permissions that matter here) or a merchant admin.
#[derive(Debug, Clone)]
pub struct ApproverKey<'a> {
    pub user_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub pending_approvals: bool,
    pub group_approvals: bool,
    pub is_universal: bool,
    pub is_merchant_admin: bool,
}

/// The condition "the approver may decide request `r` at its current step `s`". Binds:
/// $1 user id, $2 organization id, $3 PENDING_APPROVALS, $4 PENDING_APPROVALS_GROUP,
/// $5 universal approver, $6 merchant admin (APR-8: sees and decides everything).
const MAY_DECIDE: &str = "( $6 = 1 \
   OR ((r.rerouted_to_universal = 1 OR s.approver_kind = 'universal') AND $5 = 1) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'primary_users' AND $3 = 1 AND r.organization_id = $2) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'user' AND s.approver_user_id = $1) \
   OR (r.rerouted_to_universal = 0 AND s.approver_kind = 'group' AND $4 = 1 AND r.organization_id = $2 \
       AND EXISTS (SELECT 1 FROM approval_group_members m JOIN approval_groups g ON g.id = m.group_id \
                   WHERE m.group_id = s.approval_group_id AND m.user_id = $1 \
                     AND (g.organization_id IS NULL OR g.organization_id = r.organization_id))) )";

/// Enrollments appear only once the user's registration is approved (APR-4, APR-10).
const LISTABLE: &str = "r.status = 'pending' AND (r.kind = 'registration' OR u.status = 'active')";

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PendingRow {
    pub id: String,
    pub kind: String,
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
    pub last_comment: Option<String>,
}

const PENDING_COLUMNS: &str = "r.id, r.kind, p.first_name, p.last_name, u.username, \
   (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
   ut.short_name AS user_type, o.name AS company, en.name AS enrollment, r.submitted_at, r.current_step, r.step_count, \
   (SELECT d.comment FROM request_decisions d WHERE d.request_id = r.id ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS last_comment";

const PENDING_FROM: &str = "FROM requests r \
   JOIN users u ON u.id = r.user_id \
   JOIN persons p ON p.id = u.person_id \
   LEFT JOIN approval_steps s ON s.definition_id = r.definition_id AND s.position = r.current_step \
   LEFT JOIN user_types ut ON ut.id = r.user_type_id \
   LEFT JOIN organizations o ON o.id = r.organization_id \
   LEFT JOIN enrollments en ON en.id = r.enrollment_id";

fn bind_approver<'q>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, PendingRow, sqlx::any::AnyArguments<'q>>,
    a: &'q ApproverKey<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, PendingRow, sqlx::any::AnyArguments<'q>> {
    query
        .bind(a.user_id)
        .bind(a.organization_id.unwrap_or(""))
        .bind(i64::from(a.pending_approvals))
        .bind(i64::from(a.group_approvals))
        .bind(i64::from(a.is_universal))
        .bind(i64::from(a.is_merchant_admin))
}

/// The ways a request can be the approver's, each a query the database can answer from an
/// index. One `OR` across them made the planner scan every pending request (1.9 s a page with
/// 1,000,000 users); a `UNION` of the branches that apply keeps each one indexed.
fn queue_branches(approver: &ApproverKey<'_>) -> Vec<&'static str> {
    if approver.is_merchant_admin {
        // APR-8: everything, by the (status, submitted_at) index.
        return vec!["r.status = 'pending'"];
    }
    let mut branches = Vec::new();
    if approver.organization_id.is_some() && (approver.pending_approvals || approver.group_approvals) {
        // The approver's own company, by the (status, organization_id, submitted_at) index.
        branches.push(
            "r.status = 'pending' AND r.organization_id = $2 AND r.rerouted_to_universal = 0 \
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
         AND r.definition_id IN (SELECT n.definition_id FROM approval_steps n WHERE n.approver_user_id = $1)",
    );
    if approver.is_universal {
        branches.push("r.status = 'pending' AND (r.rerouted_to_universal = 1 OR s.approver_kind = 'universal')");
    }
    branches
}

/// One page of the requests `approver` may decide, oldest first (APR-4), paged.
pub async fn pending_for(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<PendingRow>, sqlx::Error> {
    let union = queue_branches(approver)
        .into_iter()
        .map(|branch| format!("SELECT {PENDING_COLUMNS} {PENDING_FROM} WHERE {LISTABLE} AND {branch}"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    let sql = format!("SELECT * FROM ({union}) q ORDER BY q.submitted_at, q.id LIMIT $7 OFFSET $8");
    bind_approver(sqlx::query_as(&sql), approver).bind(limit).bind(offset).fetch_all(&mut *conn).await
}

/// The request if `approver` may decide it now; `None` otherwise (not theirs, or decided).
pub async fn decidable(
    conn: &mut AnyConnection,
    approver: &ApproverKey<'_>,
    request_id: &str,
) -> Result<Option<PendingRow>, sqlx::Error> {
    let sql = format!("SELECT {PENDING_COLUMNS} {PENDING_FROM} WHERE r.id = $7 AND {LISTABLE} AND {MAY_DECIDE}");
    bind_approver(sqlx::query_as(&sql), approver).bind(request_id).fetch_optional(&mut *conn).await
}

#[derive(Debug, Clone, FromRow)]
pub struct RequestRecord {
    pub id: String,
    pub kind: String,
    pub user_id: String,
    pub organization_id: Option<String>,
    pub user_type_id: Option<String>,
    pub enrollment_id: Option<String>,
    pub definition_id: Option<String>,
    pub status: String,
    pub current_step: i64,
    pub step_count: i64,
    pub rerouted_to_universal: i64,
    pub is_partial: i64,
    pub is_online_access: i64,
    pub created_person_id: Option<String>,
    pub created_contact_id: Option<String>,
    pub created_organization_id: Option<String>,
    pub version: i64,
}

pub async fn find(conn: &mut AnyConnection, request_id: &str) -> Result<Option<RequestRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, user_id, organization_id, user_type_id, enrollment_id, definition_id, status, current_step, \
           step_count, rerouted_to_universal, is_partial, is_online_access, created_person_id, created_contact_id, \
           created_organization_id, version FROM requests WHERE id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Moves the request to its next step, if nobody changed it since `version` was read (APR-9).
pub async fn advance(
    conn: &mut AnyConnection,
    request_id: &str,
    version: i64,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE requests SET current_step = current_step + 1, step_started_at = $1, version = version + 1 \
         WHERE id = $2 AND status = 'pending' AND version = $3",
    )
    .bind(now_ms)
    .bind(request_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Decides the request for good ('approved' or 'rejected'), if still as read (APR-9).
pub async fn close(
    conn: &mut AnyConnection,
    request_id: &str,
    version: i64,
    status: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE requests SET status = $1, decided_at = $2, version = version + 1 \
         WHERE id = $3 AND status = 'pending' AND version = $4",
    )
    .bind(status)
    .bind(now_ms)
    .bind(request_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_decision(
    conn: &mut AnyConnection,
    request_id: &str,
    step: i64,
    decision: &str,
    decided_by: Option<&str>,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO request_decisions (id, request_id, step, decision, decided_by, comment, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(request_id)
    .bind(step)
    .bind(decision)
    .bind(decided_by)
    .bind(comment)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A person to notify: e-mail address and first name.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub email: String,
    pub first_name: String,
}

const RECIPIENT: &str = "(SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1)";

/// The approvers of the request's current step (APR-2), for "approval needed" and reminders.
pub async fn step_approvers(
    conn: &mut AnyConnection,
    request: &RequestRecord,
    universal_username: &str,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let step: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT approver_kind, approver_user_id, approval_group_id FROM approval_steps WHERE definition_id = $1 AND position = $2",
    )
    .bind(request.definition_id.as_deref().unwrap_or(""))
    .bind(request.current_step)
    .fetch_optional(&mut *conn)
    .await?;
    let (kind, user, group) = match step {
        Some(s) if request.rerouted_to_universal == 0 => s,
        _ => ("universal".to_owned(), None, None),
    };
    let sql = match kind.as_str() {
        "primary_users" => format!(
            "SELECT DISTINCT {RECIPIENT} AS email, p.first_name FROM users u JOIN persons p ON p.id = u.person_id \
             JOIN user_roles ur ON ur.user_id = u.id JOIN role_permissions rp ON rp.role_id = ur.role_id \
             WHERE u.organization_id = $1 AND u.status = 'active' AND u.released_at IS NULL AND rp.permission_code = 'PENDING_APPROVALS'"
        ),
        "user" => format!(
            "SELECT {RECIPIENT} AS email, p.first_name FROM users u JOIN persons p ON p.id = u.person_id \
             WHERE u.id = $1 AND u.status = 'active'"
        ),
        "group" => format!(
            "SELECT DISTINCT {RECIPIENT} AS email, p.first_name FROM approval_group_members m JOIN users u ON u.id = m.user_id \
             JOIN approval_groups g ON g.id = m.group_id \
             JOIN persons p ON p.id = u.person_id WHERE m.group_id = $1 AND u.status = 'active' AND u.organization_id = $2 \
             AND (g.organization_id IS NULL OR g.organization_id = $2) \
             AND EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = u.id AND rp.permission_code = 'PENDING_APPROVALS_GROUP')"
        ),
        _ => format!(
            "SELECT {RECIPIENT} AS email, p.first_name FROM users u JOIN persons p ON p.id = u.person_id \
             WHERE u.lower_username = $1 AND u.released_at IS NULL AND u.status = 'active'"
        ),
    };
    let org = request.organization_id.clone().unwrap_or_default();
    let query = sqlx::query_as::<_, (Option<String>, String)>(&sql);
    let query = match kind.as_str() {
        "primary_users" => query.bind(org),
        "user" => query.bind(user.unwrap_or_default()),
        "group" => query.bind(group.unwrap_or_default()).bind(org),
        _ => query.bind(universal_username.to_lowercase()),
    };
    let rows = query.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().filter_map(|(email, first_name)| email.map(|email| Recipient { email, first_name })).collect())
}

/// Requests whose current step has waited longer than the timeout, leased to this caller for
/// `lease_ms` so that several instances never handle the same one twice (APR-7).
pub async fn claim_timed_out(
    conn: &mut AnyConnection,
    older_than: i64,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "UPDATE requests SET lease_until = $1 WHERE id IN ( \
           SELECT id FROM requests WHERE status = 'pending' AND step_started_at < $2 \
             AND (lease_until IS NULL OR lease_until < $3) ORDER BY step_started_at LIMIT $4) \
         AND (lease_until IS NULL OR lease_until < $3) RETURNING id",
    )
    .bind(now_ms + lease_ms)
    .bind(older_than)
    .bind(now_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// APR-7: after a timeout the request moves on — to the next step, or past the last one to
/// the universal approver.
pub async fn reroute(conn: &mut AnyConnection, request: &RequestRecord, now_ms: i64) -> Result<bool, sqlx::Error> {
    let last = request.current_step >= request.step_count;
    let done = sqlx::query(
        "UPDATE requests SET current_step = CASE WHEN $1 = 1 THEN current_step ELSE current_step + 1 END, \
           rerouted_to_universal = CASE WHEN $1 = 1 THEN 1 ELSE rerouted_to_universal END, \
           step_started_at = $2, lease_until = NULL, version = version + 1 \
         WHERE id = $3 AND status = 'pending' AND version = $4",
    )
    .bind(i64::from(last))
    .bind(now_ms)
    .bind(&request.id)
    .bind(request.version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
