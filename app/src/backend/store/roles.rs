//! Role grants and the site access that follows them (ADM-5: a user's initial sites are those
//! whose required role the user holds).

use sqlx::AnyConnection;

use super::approvers::Recipient;
use crate::backend::error::StoreError;
use crate::backend::new_id;
use crate::domain::{Permission, PermissionSet, UserStatus};

pub async fn grant(
    conn: &mut AnyConnection,
    user_id: &str,
    role_id: &str,
    granted_by: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_roles (id, user_id, role_id, start_at, end_at, justification, granted_by, created_at) \
         VALUES ($1, $2, $3, NULL, NULL, NULL, $4, $5) ON CONFLICT (user_id, role_id) DO NOTHING",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(role_id)
    .bind(granted_by)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Gives the user every active site whose required role they now hold.
pub async fn grant_sites_for_roles(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_sites (user_id, site_id, created_at) \
         SELECT $1, s.id, $2 FROM sites s JOIN user_roles ur ON ur.role_id = s.required_role_id \
         WHERE ur.user_id = $1 AND s.is_active = 1 \
         ON CONFLICT (user_id, site_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The permissions a user holds now through roles in force (dates respected, CON-3). Codes the
/// domain does not know (added by a newer version) are skipped, never guessed at.
pub async fn permission_set(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<PermissionSet, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT rp.permission_code FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id \
         WHERE ur.user_id = $1 AND (ur.start_at IS NULL OR ur.start_at <= $2) AND (ur.end_at IS NULL OR ur.end_at >= $2) \
         ORDER BY rp.permission_code",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(|(code,)| code.parse::<Permission>().ok()).collect())
}

pub async fn enrollment_role_ids(conn: &mut AnyConnection, enrollment_id: &str) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role_id FROM enrollment_roles WHERE enrollment_id = $1 ORDER BY role_id")
            .bind(enrollment_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn enrollment_name(conn: &mut AnyConnection, enrollment_id: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM enrollments WHERE id = $1")
        .bind(enrollment_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// The company's active primary users (holders of PENDING_APPROVALS), to notify (APR-10).
pub async fn primary_users_of(conn: &mut AnyConnection, organization_id: &str) -> Result<Vec<Recipient>, StoreError> {
    let rows: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1), \
           p.first_name FROM users u JOIN persons p ON p.id = u.person_id \
         WHERE u.organization_id = $1 AND u.status = $2 AND u.released_at IS NULL \
           AND EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id \
                       WHERE ur.user_id = u.id AND rp.permission_code = $3) \
         ORDER BY u.id LIMIT 100",
    )
    .bind(organization_id)
    .bind(<&'static str>::from(UserStatus::Active))
    .bind(<&'static str>::from(Permission::PendingApprovals))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().filter_map(|(email, first_name)| email.map(|email| Recipient { email, first_name })).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrollmentRecord {
    pub id: String,
    pub name: String,
    pub approval_definition_id: Option<String>,
}

pub async fn find_enrollment(conn: &mut AnyConnection, key: &str) -> Result<Option<EnrollmentRecord>, StoreError> {
    Ok(sqlx::query_as("SELECT id, name, approval_definition_id FROM enrollments WHERE key = $1 AND is_active = 1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?)
}
