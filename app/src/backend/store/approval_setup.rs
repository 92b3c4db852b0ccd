//! Approval definitions with their ordered steps, and approval groups with their members, as
//! the console edits them (CON-2, APR-2, APR-3). Routing reads the same tables
//! (`approvers.rs`, `approvals.rs`) by (definition, position), so positions stay 1..n without
//! gaps, and a definition's steps change only after its waiting requests moved to an archived
//! copy ([`keep_waiting_requests`]).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::{ApproverKind, Permission, UserStatus};

/// Definitions and groups are merchant configuration: a handful, listed in one bounded read.
pub const MAX_LISTED: i64 = 500;

/// A definition as listed: how many steps, and how many user types and enrollments use it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DefinitionSummary {
    pub id: String,
    pub key: String,
    pub name: String,
    pub steps: i64,
    pub used_by: i64,
    pub waiting: i64,
}

const PENDING: &str = "'pending'";

/// The live (not archived) definitions by key.
pub async fn definitions(conn: &mut AnyConnection) -> Result<Vec<DefinitionSummary>, StoreError> {
    let sql = format!(
        "SELECT d.id, d.key, d.name, \
           (SELECT COUNT(*) FROM approval_steps s WHERE s.definition_id = d.id) AS steps, \
           (SELECT COUNT(*) FROM user_types ut WHERE ut.approval_definition_id = d.id) \
             + (SELECT COUNT(*) FROM enrollments e WHERE e.approval_definition_id = d.id) AS used_by, \
           (SELECT COUNT(*) FROM requests r WHERE r.status = {PENDING} AND r.definition_id = d.id) AS waiting \
         FROM approval_definitions d WHERE d.archived_at IS NULL ORDER BY d.key LIMIT {MAX_LISTED}"
    );
    Ok(sqlx::query_as(&sql).fetch_all(&mut *conn).await?)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Definition {
    pub id: String,
    pub key: String,
    pub name: String,
}

/// The live definition `id`, or `None` (unknown or archived).
pub async fn find_live(conn: &mut AnyConnection, id: &str) -> Result<Option<Definition>, StoreError> {
    Ok(sqlx::query_as("SELECT id, key, name FROM approval_definitions WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Takes the definition's row lock for the rest of the transaction, so two edits of its steps
/// (or an edit and a registration counting them, `requests::step_count`) run one after the
/// other. Whether the live definition exists.
pub async fn lock_definition(conn: &mut AnyConnection, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE approval_definitions SET name = name WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A new live definition; a key already used (by any definition) is `Duplicate`.
pub async fn insert_definition(
    conn: &mut AnyConnection,
    key: &str,
    name: &str,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO approval_definitions (id, key, name, created_at, archived_from, archived_at) \
         VALUES ($1, $2, $3, $4, NULL, NULL)",
    )
    .bind(&id)
    .bind(key)
    .bind(name)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn key_in_use(conn: &mut AnyConnection, key: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM approval_definitions WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

pub async fn rename(conn: &mut AnyConnection, id: &str, name: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE approval_definitions SET name = $2 WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// One step with its approver by name and how many requests wait at it (of this version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub id: String,
    pub position: i64,
    pub kind: ApproverKind,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub waiting: i64,
}

#[derive(FromRow)]
struct StepRow {
    id: String,
    position: i64,
    approver_kind: String,
    approver_user_id: Option<String>,
    username: Option<String>,
    approval_group_id: Option<String>,
    group_name: Option<String>,
    waiting: i64,
}

/// The definition's steps in order (any version: an archived one is read for its audit row).
pub async fn steps(conn: &mut AnyConnection, definition_id: &str) -> Result<Vec<StepRecord>, StoreError> {
    let sql = format!(
        "SELECT s.id, s.position, s.approver_kind, s.approver_user_id, u.username, s.approval_group_id, \
           g.name AS group_name, \
           (SELECT COUNT(*) FROM requests r WHERE r.status = {PENDING} AND r.definition_id = s.definition_id \
              AND r.current_step = s.position AND r.rerouted_to_universal = 0) AS waiting \
         FROM approval_steps s LEFT JOIN users u ON u.id = s.approver_user_id \
         LEFT JOIN approval_groups g ON g.id = s.approval_group_id \
         WHERE s.definition_id = $1 ORDER BY s.position"
    );
    let rows: Vec<StepRow> = sqlx::query_as(&sql).bind(definition_id).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|r| {
            Ok(StepRecord {
                kind: parse_stored("approver kind", &r.approver_kind)?,
                id: r.id,
                position: r.position,
                user_id: r.approver_user_id,
                username: r.username,
                group_id: r.approval_group_id,
                group_name: r.group_name,
                waiting: r.waiting,
            })
        })
        .collect()
}

/// Requests still waiting under earlier versions of the definition (moved there by an edit).
pub async fn waiting_under_earlier_versions(conn: &mut AnyConnection, definition_id: &str) -> Result<i64, StoreError> {
    let sql = format!(
        "SELECT COUNT(*) FROM approval_definitions a JOIN requests r ON r.definition_id = a.id \
         WHERE a.archived_from = $1 AND r.status = {PENDING}"
    );
    let (n,): (i64,) = sqlx::query_as(&sql).bind(definition_id).fetch_one(&mut *conn).await?;
    Ok(n)
}

/// What names the definition: ("User type" | "Enrollment", name), user types first.
pub async fn used_by(conn: &mut AnyConnection, definition_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT 'User type' AS what, long_name AS name FROM user_types WHERE approval_definition_id = $1 \
         UNION ALL SELECT 'Enrollment' AS what, name FROM enrollments WHERE approval_definition_id = $1 \
         ORDER BY 1 DESC, 2 LIMIT 200",
    )
    .bind(definition_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// APR-2: before the steps of `definition` change, the requests waiting under it move to an
/// archived copy of its current steps, so each keeps the steps (and step count) it was
/// submitted with and can never point at a removed step or past its last one. Call inside the
/// transaction that changes the steps, after [`lock_definition`]. How many requests moved.
pub async fn keep_waiting_requests(
    conn: &mut AnyConnection,
    definition: &Definition,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let (waiting,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM requests WHERE definition_id = $1 AND status = {PENDING}"))
            .bind(&definition.id)
            .fetch_one(&mut *conn)
            .await?;
    if waiting == 0 {
        return Ok(0);
    }
    let archive = new_id();
    // `~` never occurs in a key the console accepts, so an archived key cannot collide.
    let key = format!("{}~{archive}", definition.key);
    sqlx::query(
        "INSERT INTO approval_definitions (id, key, name, created_at, archived_from, archived_at) \
         VALUES ($1, $2, $3, $4, $5, $4)",
    )
    .bind(&archive)
    .bind(&key)
    .bind(&definition.name)
    .bind(now_ms)
    .bind(&definition.id)
    .execute(&mut *conn)
    .await?;
    for step in steps(conn, &definition.id).await? {
        insert_step(conn, &archive, step.position, step.kind, step.user_id.as_deref(), step.group_id.as_deref())
            .await?;
    }
    let moved =
        sqlx::query(&format!("UPDATE requests SET definition_id = $1 WHERE definition_id = $2 AND status = {PENDING}"))
            .bind(&archive)
            .bind(&definition.id)
            .execute(&mut *conn)
            .await?;
    Ok(moved.rows_affected())
}

async fn insert_step(
    conn: &mut AnyConnection,
    definition_id: &str,
    position: i64,
    kind: ApproverKind,
    user_id: Option<&str>,
    group_id: Option<&str>,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO approval_steps (id, definition_id, position, approver_kind, approver_user_id, approval_group_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(definition_id)
    .bind(position)
    .bind(<&'static str>::from(kind))
    .bind(user_id)
    .bind(group_id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Adds a step after the last one; its id.
pub async fn append_step(
    conn: &mut AnyConnection,
    definition_id: &str,
    kind: ApproverKind,
    user_id: Option<&str>,
    group_id: Option<&str>,
) -> Result<String, StoreError> {
    let (last,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(position), 0) FROM approval_steps WHERE definition_id = $1")
            .bind(definition_id)
            .fetch_one(&mut *conn)
            .await?;
    insert_step(conn, definition_id, last + 1, kind, user_id, group_id).await
}

/// Removes the step and closes the gap (positions stay 1..n). Whether it was the definition's.
pub async fn remove_step(conn: &mut AnyConnection, definition_id: &str, step_id: &str) -> Result<bool, StoreError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT position FROM approval_steps WHERE id = $1 AND definition_id = $2")
            .bind(step_id)
            .bind(definition_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((position,)) = row else { return Ok(false) };
    sqlx::query("DELETE FROM approval_steps WHERE id = $1").bind(step_id).execute(&mut *conn).await?;
    // UNIQUE (definition_id, position) is checked row by row: shift through negative positions.
    sqlx::query("UPDATE approval_steps SET position = -(position - 1) WHERE definition_id = $1 AND position > $2")
        .bind(definition_id)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE approval_steps SET position = -position WHERE definition_id = $1 AND position < 0")
        .bind(definition_id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Swaps the steps at positions `a` and `b` (both exist), through the unused position 0.
pub async fn swap_steps(conn: &mut AnyConnection, definition_id: &str, a: i64, b: i64) -> Result<(), StoreError> {
    for (from, to) in [(a, 0), (b, a), (0, b)] {
        sqlx::query("UPDATE approval_steps SET position = $3 WHERE definition_id = $1 AND position = $2")
            .bind(definition_id)
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

// ---- Approval groups (APR-3) ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GroupRecord {
    pub id: String,
    pub name: String,
    /// `None`: every organization.
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub registry_id: Option<String>,
    pub members: i64,
    /// Steps of live definitions that name the group.
    pub steps: i64,
}

const GROUP_COLUMNS: &str = "g.id, g.name, g.organization_id, o.name AS organization_name, o.registry_id, \
   (SELECT COUNT(*) FROM approval_group_members m WHERE m.group_id = g.id) AS members, \
   (SELECT COUNT(*) FROM approval_steps s JOIN approval_definitions d ON d.id = s.definition_id \
      WHERE s.approval_group_id = g.id AND d.archived_at IS NULL) AS steps";

pub async fn groups(conn: &mut AnyConnection) -> Result<Vec<GroupRecord>, StoreError> {
    let sql = format!(
        "SELECT {GROUP_COLUMNS} FROM approval_groups g LEFT JOIN organizations o ON o.id = g.organization_id \
         ORDER BY lower(g.name), g.id LIMIT {MAX_LISTED}"
    );
    Ok(sqlx::query_as(&sql).fetch_all(&mut *conn).await?)
}

pub async fn find_group(conn: &mut AnyConnection, id: &str) -> Result<Option<GroupRecord>, StoreError> {
    let sql = format!(
        "SELECT {GROUP_COLUMNS} FROM approval_groups g LEFT JOIN organizations o ON o.id = g.organization_id \
         WHERE g.id = $1"
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?)
}

/// A new group; a name already used (in any case) is `Duplicate`.
pub async fn insert_group(
    conn: &mut AnyConnection,
    name: &str,
    organization_id: Option<&str>,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query("INSERT INTO approval_groups (id, name, organization_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(organization_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Renames and rescopes the group, taking its row lock; a name used by another is `Duplicate`.
pub async fn update_group(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    organization_id: Option<&str>,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE approval_groups SET name = $2, organization_id = $3 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(organization_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Takes the group's row lock (membership changes and rescoping run one after the other).
pub async fn lock_group(conn: &mut AnyConnection, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE approval_groups SET name = name WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// An active organization by name (case-insensitive): `None` when there is none, and at most
/// two, so that the caller can tell an ambiguous name.
pub async fn active_organizations_named(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, registry_id FROM organizations WHERE lower(name) = lower($1) AND status = 'active' \
         ORDER BY id LIMIT 2",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?)
}

/// One member, and whether they can decide the group's requests now (a merchant admin, or a
/// holder of PENDING_APPROVALS_GROUP through a role in force, APR-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub is_merchant_admin: bool,
    pub status: UserStatus,
    pub may_decide: bool,
}

#[derive(FromRow)]
struct MemberRow {
    user_id: String,
    username: String,
    first_name: String,
    last_name: String,
    organization_id: Option<String>,
    organization_name: Option<String>,
    is_merchant_admin: i64,
    status: String,
    holds: i64,
}

pub async fn members(conn: &mut AnyConnection, group_id: &str, now_ms: i64) -> Result<Vec<MemberRecord>, StoreError> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT u.id AS user_id, u.username, p.first_name, p.last_name, u.organization_id, o.name AS organization_name, \
           u.is_merchant_admin, u.status, \
           (SELECT COUNT(*) FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id \
              WHERE ur.user_id = u.id AND rp.permission_code = '{}' \
                AND (ur.start_at IS NULL OR ur.start_at <= $2) AND (ur.end_at IS NULL OR ur.end_at >= $2)) AS holds \
         FROM approval_group_members m JOIN users u ON u.id = m.user_id JOIN persons p ON p.id = u.person_id \
         LEFT JOIN organizations o ON o.id = u.organization_id \
         WHERE m.group_id = $1 ORDER BY lower(u.username) LIMIT {MAX_LISTED}",
        <&'static str>::from(Permission::PendingApprovalsGroup)
    ))
    .bind(group_id)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let is_merchant_admin = r.is_merchant_admin != 0;
            Ok(MemberRecord {
                status: parse_stored("user status", &r.status)?,
                may_decide: is_merchant_admin || r.holds > 0,
                user_id: r.user_id,
                username: r.username,
                first_name: r.first_name,
                last_name: r.last_name,
                organization_id: r.organization_id,
                organization_name: r.organization_name,
                is_merchant_admin,
            })
        })
        .collect()
}

/// Members that are neither merchant admins nor users of `organization_id` (a group cannot be
/// narrowed to one organization while they are in it).
pub async fn members_outside(
    conn: &mut AnyConnection,
    group_id: &str,
    organization_id: &str,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM approval_group_members m JOIN users u ON u.id = m.user_id \
         WHERE m.group_id = $1 AND u.is_merchant_admin = 0 AND (u.organization_id IS NULL OR u.organization_id <> $2)",
    )
    .bind(group_id)
    .bind(organization_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Adds the member; whether they were new.
pub async fn add_member(conn: &mut AnyConnection, group_id: &str, user_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO approval_group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes the member; whether they were one.
pub async fn remove_member(conn: &mut AnyConnection, group_id: &str, user_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM approval_group_members WHERE group_id = $1 AND user_id = $2")
        .bind(group_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestStatus;

    // covers: APR-2, APR-4
    /// The statuses spelled inside this module's SQL are the domain's stored strings.
    #[test]
    fn the_pending_literal_is_the_stored_request_status() {
        assert_eq!(PENDING.trim_matches('\''), RequestStatus::Pending.to_string());
    }
}
