//! A user as the merchant's console sees and changes it (CON-3): the whole record whatever its
//! status or organization (the use case decides what the operator may reach), a Disable
//! scheduled for later, deletion, and role grants with their dates and justification.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::backend::store::audit::Actor;
use crate::domain::{RecordStatus, UserStatus};

/// Every fact the console's user page shows about the login and its person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleUserRecord {
    pub id: String,
    pub person_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub person_status: RecordStatus,
    pub status: UserStatus,
    /// The user type's short name; `None` for merchant admins and bare users (PAR-1).
    pub user_type: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub must_change_password: bool,
    pub has_password: bool,
    pub is_merchant_admin: bool,
    pub released_at: Option<i64>,
}

#[derive(FromRow)]
struct RecordRow {
    id: String,
    person_id: String,
    username: String,
    first_name: String,
    last_name: String,
    person_status: String,
    status: String,
    user_type: Option<String>,
    organization_id: Option<String>,
    organization_name: Option<String>,
    start_at: Option<i64>,
    end_at: Option<i64>,
    last_sign_in_at: Option<i64>,
    must_change_password: i64,
    has_password: i64,
    is_merchant_admin: i64,
    released_at: Option<i64>,
}

pub async fn find(conn: &mut AnyConnection, user_id: &str) -> Result<Option<ConsoleUserRecord>, StoreError> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT u.id, u.person_id, u.username, p.first_name, p.last_name, p.status AS person_status, u.status, \
           t.short_name AS user_type, u.organization_id, o.name AS organization_name, u.start_at, u.end_at, \
           u.last_sign_in_at, u.must_change_password, \
           CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, u.is_merchant_admin, u.released_at \
         FROM users u JOIN persons p ON p.id = u.person_id \
         LEFT JOIN user_types t ON t.id = u.user_type_id \
         LEFT JOIN organizations o ON o.id = u.organization_id \
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(ConsoleUserRecord {
            person_status: parse_stored("person status", &row.person_status)?,
            status: parse_stored("user status", &row.status)?,
            id: row.id,
            person_id: row.person_id,
            username: row.username,
            first_name: row.first_name,
            last_name: row.last_name,
            user_type: row.user_type,
            organization_id: row.organization_id,
            organization_name: row.organization_name,
            start_at: row.start_at,
            end_at: row.end_at,
            last_sign_in_at: row.last_sign_in_at,
            must_change_password: row.must_change_password != 0,
            has_password: row.has_password != 0,
            is_merchant_admin: row.is_merchant_admin != 0,
            released_at: row.released_at,
        })
    })
    .transpose()
}

/// The person's e-mail addresses, primary first (at most 50: a person has a handful).
pub async fn emails_of(conn: &mut AnyConnection, person_id: &str) -> Result<Vec<(String, bool)>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT address, is_primary FROM email_addresses WHERE person_id = $1 \
         ORDER BY is_primary DESC, created_at, id LIMIT 50",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(address, primary)| (address, primary != 0)).collect())
}

/// A Disable waiting for its Effective date (CON-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisableSchedule {
    pub effective_at: i64,
    pub justification: String,
    /// The requesting operator: a username or an integration's client ID.
    pub requested_by: Option<String>,
}

pub async fn schedule_of(conn: &mut AnyConnection, user_id: &str) -> Result<Option<DisableSchedule>, StoreError> {
    let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT s.effective_at, s.justification, COALESCE(r.username, i.client_id) \
         FROM user_disable_schedules s \
         LEFT JOIN users r ON r.id = s.requested_by_user_id \
         LEFT JOIN integration_users i ON i.id = s.requested_by_integration_id \
         WHERE s.user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(effective_at, justification, requested_by)| DisableSchedule {
        effective_at,
        justification,
        requested_by,
    }))
}

/// Records (or replaces) the user's scheduled Disable.
pub async fn schedule_disable(
    conn: &mut AnyConnection,
    user_id: &str,
    effective_at: i64,
    justification: &str,
    requested_by: Actor<'_>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let (user, integration) = match requested_by {
        Actor::User(id) => (Some(id), None),
        Actor::Integration(id) => (None, Some(id)),
        Actor::System => (None, None),
    };
    sqlx::query(
        "INSERT INTO user_disable_schedules \
           (user_id, effective_at, justification, requested_by_user_id, requested_by_integration_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET effective_at = excluded.effective_at, \
           justification = excluded.justification, requested_by_user_id = excluded.requested_by_user_id, \
           requested_by_integration_id = excluded.requested_by_integration_id, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(effective_at)
    .bind(justification)
    .bind(user)
    .bind(integration)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Drops the user's scheduled Disable; whether there was one.
pub async fn cancel_disable(conn: &mut AnyConnection, user_id: &str) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM user_disable_schedules WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Users whose scheduled Disable is due at `now_ms`, earliest first (indexed by date).
pub async fn due_disables(conn: &mut AnyConnection, now_ms: i64, limit: i64) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT user_id FROM user_disable_schedules WHERE effective_at <= $1 ORDER BY effective_at, user_id LIMIT $2",
    )
    .bind(now_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A due Disable, taken out of the schedule by this transaction.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DueDisable {
    pub effective_at: i64,
    pub justification: String,
    pub requested_by_user_id: Option<String>,
    pub requested_by_integration_id: Option<String>,
}

/// Takes the user's Disable out of the schedule if it is due: the row is deleted in the
/// caller's transaction, so of two job instances only one gets it (the other deletes nothing).
pub async fn claim_due_disable(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<Option<DueDisable>, StoreError> {
    Ok(sqlx::query_as(
        "DELETE FROM user_disable_schedules WHERE user_id = $1 AND effective_at <= $2 \
         RETURNING effective_at, justification, requested_by_user_id, requested_by_integration_id",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?)
}

/// CON-3 Delete: status `deleted` and the username released (REG-8), for anyone to register
/// again. Nothing else of the user or their person is removed.
pub async fn mark_deleted(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET status = $1, released_at = COALESCE(released_at, $2), updated_at = $2 WHERE id = $3")
        .bind(<&'static str>::from(UserStatus::Deleted))
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A role grant as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrantRecord {
    pub role_id: String,
    pub name: String,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub justification: Option<String>,
    /// The granting user's username, when a user granted it.
    pub granted_by: Option<String>,
}

impl RoleGrantRecord {
    /// Whether the grant counts at `now_ms` (the same rule as `roles::permission_set`).
    pub fn in_force_at(&self, now_ms: i64) -> bool {
        self.start_at.is_none_or(|s| s <= now_ms) && self.end_at.is_none_or(|e| e >= now_ms)
    }
}

/// Every role granted to the user, by name (a user holds a handful; at most 300 are read).
pub async fn roles_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<RoleGrantRecord>, StoreError> {
    type Row = (String, String, Option<i64>, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.name, ur.start_at, ur.end_at, ur.justification, g.username \
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id LEFT JOIN users g ON g.id = ur.granted_by \
         WHERE ur.user_id = $1 ORDER BY lower(r.name), r.id LIMIT 300",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(role_id, name, start_at, end_at, justification, granted_by)| RoleGrantRecord {
            role_id,
            name,
            start_at,
            end_at,
            justification,
            granted_by,
        })
        .collect())
}

/// The roles an operator may grant a user of `organization_id`: the merchant's own and seeded
/// roles (no organization), and that organization's custom roles. (id, name), by name.
pub async fn grantable_roles(
    conn: &mut AnyConnection,
    organization_id: Option<&str>,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name FROM roles WHERE organization_id IS NULL OR organization_id = $1 \
         ORDER BY is_seeded DESC, lower(name), id LIMIT 300",
    )
    .bind(organization_id.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?)
}

/// Grants `role_id` with its dates and justification; a role already held takes the new ones.
#[allow(clippy::too_many_arguments)]
pub async fn grant_role(
    conn: &mut AnyConnection,
    user_id: &str,
    role_id: &str,
    start_at: Option<i64>,
    end_at: Option<i64>,
    justification: &str,
    granted_by: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_roles (id, user_id, role_id, start_at, end_at, justification, granted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (user_id, role_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at, \
           justification = excluded.justification, granted_by = excluded.granted_by",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(role_id)
    .bind(start_at)
    .bind(end_at)
    .bind(justification)
    .bind(granted_by)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the role away; whether the user held it.
pub async fn remove_role(conn: &mut AnyConnection, user_id: &str, role_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2")
        .bind(user_id)
        .bind(role_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
