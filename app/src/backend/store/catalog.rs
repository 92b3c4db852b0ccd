//! The merchant's roles (seeded, or made in the console: no organization), enrollments and
//! specialty sites, as the console edits them (CON-2, APR-10, ADM-5). A company's custom roles
//! (ADM-7, `custom_roles.rs`) are never read or written here.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;
use crate::backend::new_id;
use crate::domain::Permission;

/// Merchant configuration: a handful of each, listed in one bounded read.
pub const MAX_LISTED: i64 = 300;

/// A merchant role with its permissions; `key` only for seeded roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRoleRecord {
    pub id: String,
    pub key: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub is_seeded: bool,
    /// Sorted; codes the domain does not know are skipped.
    pub permissions: Vec<Permission>,
}

#[derive(FromRow)]
struct RoleRow {
    id: String,
    key: Option<String>,
    name: String,
    description: Option<String>,
    is_seeded: i64,
}

/// Every merchant role, or only `one` (by id).
async fn roles_where(conn: &mut AnyConnection, one: Option<&str>) -> Result<Vec<MerchantRoleRecord>, StoreError> {
    let filter = if one.is_some() { "r.organization_id IS NULL AND r.id = $1" } else { "r.organization_id IS NULL" };
    let sql = format!(
        "SELECT r.id, r.key, r.name, r.description, r.is_seeded FROM roles r \
         WHERE {filter} ORDER BY r.is_seeded DESC, lower(r.name), r.id LIMIT {MAX_LISTED}"
    );
    let mut query = sqlx::query_as::<_, RoleRow>(&sql);
    if let Some(id) = one {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT rp.role_id, rp.permission_code FROM roles r JOIN role_permissions rp ON rp.role_id = r.id WHERE {filter}"
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    if let Some(id) = one {
        query = query.bind(id);
    }
    let pairs = query.fetch_all(&mut *conn).await?;
    let mut permissions: HashMap<String, Vec<Permission>> = HashMap::new();
    for (role, code) in pairs {
        if let Ok(p) = code.parse::<Permission>() {
            permissions.entry(role).or_default().push(p);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut perms = permissions.remove(&row.id).unwrap_or_default();
            perms.sort();
            perms.dedup();
            MerchantRoleRecord {
                id: row.id,
                key: row.key,
                name: row.name,
                description: row.description,
                is_seeded: row.is_seeded != 0,
                permissions: perms,
            }
        })
        .collect())
}

/// The seeded roles, then the merchant's own, by name.
pub async fn merchant_roles(conn: &mut AnyConnection) -> Result<Vec<MerchantRoleRecord>, StoreError> {
    roles_where(conn, None).await
}

/// The merchant role `id`, or `None` (unknown, or a company's custom role).
pub async fn find_merchant_role(conn: &mut AnyConnection, id: &str) -> Result<Option<MerchantRoleRecord>, StoreError> {
    Ok(roles_where(conn, Some(id)).await?.pop())
}

/// Whether every id names a merchant role (a company's custom role is never granted by the
/// merchant's enrollments or sites).
pub async fn all_merchant_roles(conn: &mut AnyConnection, ids: &[String]) -> Result<bool, StoreError> {
    for id in ids {
        let row: Option<(String,)> = sqlx::query_as("SELECT id FROM roles WHERE id = $1 AND organization_id IS NULL")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if row.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn set_permissions(
    conn: &mut AnyConnection,
    role_id: &str,
    permissions: &[Permission],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM role_permissions WHERE role_id = $1").bind(role_id).execute(&mut *conn).await?;
    for p in permissions {
        sqlx::query("INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, $2)")
            .bind(role_id)
            .bind(<&'static str>::from(*p))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A new merchant role; a name used by another merchant role (in any case) is `Duplicate`.
pub async fn insert_merchant_role(
    conn: &mut AnyConnection,
    name: &str,
    description: Option<&str>,
    permissions: &[Permission],
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) \
         VALUES ($1, NULL, $2, $3, NULL, 0, $4)",
    )
    .bind(&id)
    .bind(name)
    .bind(description)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    set_permissions(conn, &id, permissions).await?;
    Ok(id)
}

/// Replaces a merchant role's name and description (never a seeded one's) and permissions.
pub async fn update_merchant_role(
    conn: &mut AnyConnection,
    id: &str,
    name_and_description: Option<(&str, Option<&str>)>,
    permissions: &[Permission],
) -> Result<(), StoreError> {
    let done = match name_and_description {
        Some((name, description)) => sqlx::query(
            "UPDATE roles SET name = $2, description = $3 WHERE id = $1 AND organization_id IS NULL AND is_seeded = 0",
        )
        .bind(id)
        .bind(name)
        .bind(description)
        .execute(&mut *conn)
        .await?,
        None => {
            sqlx::query("UPDATE roles SET name = name WHERE id = $1 AND organization_id IS NULL")
                .bind(id)
                .execute(&mut *conn)
                .await?
        }
    };
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    set_permissions(conn, id, permissions).await
}

// ---- Enrollments (APR-10) ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentRecord {
    pub id: String,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub approval_definition_id: Option<String>,
    pub approval_definition: Option<String>,
    pub active: bool,
    /// (role id, role name), by name.
    pub roles: Vec<(String, String)>,
}

#[derive(FromRow)]
struct EnrollmentRow {
    id: String,
    key: String,
    name: String,
    description: Option<String>,
    approval_definition_id: Option<String>,
    approval_definition: Option<String>,
    is_active: i64,
}

/// Every enrollment, or only `one` (by id).
async fn enrollments_where(conn: &mut AnyConnection, one: Option<&str>) -> Result<Vec<EnrollmentRecord>, StoreError> {
    let filter = if one.is_some() { "WHERE e.id = $1" } else { "" };
    let sql = format!(
        "SELECT e.id, e.key, e.name, e.description, e.approval_definition_id, d.name AS approval_definition, e.is_active \
         FROM enrollments e LEFT JOIN approval_definitions d ON d.id = e.approval_definition_id \
         {filter} ORDER BY e.key LIMIT {MAX_LISTED}"
    );
    let mut query = sqlx::query_as::<_, EnrollmentRow>(&sql);
    if let Some(id) = one {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT er.enrollment_id, r.id, r.name FROM enrollments e JOIN enrollment_roles er ON er.enrollment_id = e.id \
         JOIN roles r ON r.id = er.role_id {filter} ORDER BY lower(r.name), r.id"
    );
    let mut query = sqlx::query_as::<_, (String, String, String)>(&sql);
    if let Some(id) = one {
        query = query.bind(id);
    }
    let pairs = query.fetch_all(&mut *conn).await?;
    let mut roles: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (enrollment, id, name) in pairs {
        roles.entry(enrollment).or_default().push((id, name));
    }
    Ok(rows
        .into_iter()
        .map(|row| EnrollmentRecord {
            roles: roles.remove(&row.id).unwrap_or_default(),
            id: row.id,
            key: row.key,
            name: row.name,
            description: row.description,
            approval_definition_id: row.approval_definition_id,
            approval_definition: row.approval_definition,
            active: row.is_active != 0,
        })
        .collect())
}

pub async fn enrollments(conn: &mut AnyConnection) -> Result<Vec<EnrollmentRecord>, StoreError> {
    enrollments_where(conn, None).await
}

pub async fn find_enrollment(conn: &mut AnyConnection, id: &str) -> Result<Option<EnrollmentRecord>, StoreError> {
    Ok(enrollments_where(conn, Some(id)).await?.pop())
}

pub async fn enrollment_key_in_use(conn: &mut AnyConnection, key: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM enrollments WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// The enrollment's fields as stored (the key only on insert: it never changes).
pub struct EnrollmentFields<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub approval_definition_id: Option<&'a str>,
    pub active: bool,
    pub role_ids: &'a [String],
}

async fn set_enrollment_roles(conn: &mut AnyConnection, id: &str, role_ids: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM enrollment_roles WHERE enrollment_id = $1").bind(id).execute(&mut *conn).await?;
    for role in role_ids {
        sqlx::query("INSERT INTO enrollment_roles (enrollment_id, role_id) VALUES ($1, $2)")
            .bind(id)
            .bind(role)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A new enrollment; a key already used is `Duplicate`.
pub async fn insert_enrollment(
    conn: &mut AnyConnection,
    key: &str,
    e: &EnrollmentFields<'_>,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO enrollments (id, key, name, description, approval_definition_id, is_active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(key)
    .bind(e.name)
    .bind(e.description)
    .bind(e.approval_definition_id)
    .bind(super::flag(e.active))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    set_enrollment_roles(conn, &id, e.role_ids).await?;
    Ok(id)
}

pub async fn update_enrollment(conn: &mut AnyConnection, id: &str, e: &EnrollmentFields<'_>) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE enrollments SET name = $2, description = $3, approval_definition_id = $4, is_active = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(e.name)
    .bind(e.description)
    .bind(e.approval_definition_id)
    .bind(super::flag(e.active))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    set_enrollment_roles(conn, id, e.role_ids).await
}

// ---- Specialty sites (ADM-5) -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SiteRecord {
    pub id: String,
    pub key: String,
    pub name: String,
    pub required_role_id: Option<String>,
    pub required_role: Option<String>,
    pub is_active: i64,
}

const SITE_COLUMNS: &str = "s.id, s.key, s.name, s.required_role_id, r.name AS required_role, s.is_active";

pub async fn sites(conn: &mut AnyConnection) -> Result<Vec<SiteRecord>, StoreError> {
    let sql = format!(
        "SELECT {SITE_COLUMNS} FROM sites s LEFT JOIN roles r ON r.id = s.required_role_id \
         ORDER BY s.key LIMIT {MAX_LISTED}"
    );
    Ok(sqlx::query_as(&sql).fetch_all(&mut *conn).await?)
}

pub async fn find_site(conn: &mut AnyConnection, id: &str) -> Result<Option<SiteRecord>, StoreError> {
    let sql =
        format!("SELECT {SITE_COLUMNS} FROM sites s LEFT JOIN roles r ON r.id = s.required_role_id WHERE s.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn site_key_in_use(conn: &mut AnyConnection, key: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM sites WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// A new site; a key already used is `Duplicate`.
pub async fn insert_site(
    conn: &mut AnyConnection,
    key: &str,
    name: &str,
    required_role_id: Option<&str>,
    active: bool,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO sites (id, key, name, required_role_id, is_active, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(key)
    .bind(name)
    .bind(required_role_id)
    .bind(super::flag(active))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update_site(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    required_role_id: Option<&str>,
    active: bool,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE sites SET name = $2, required_role_id = $3, is_active = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(required_role_id)
        .bind(super::flag(active))
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
