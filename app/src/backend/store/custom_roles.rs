//! Roles as a company's administrators see them (ADM-4, ADM-7): the seeded roles, the
//! company's own custom roles with their permissions, a user's grants, and the custom roles'
//! life cycle. Custom roles are always read and written with their organization named, so an
//! id of another company's role finds nothing (SEC-5).

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;
use crate::backend::new_id;
use crate::domain::{Permission, RoleDefinition};

/// A role with its permissions. `organization_id` is the owning company of a custom role;
/// seeded and merchant roles have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub organization_id: Option<String>,
    pub is_seeded: bool,
    /// Sorted; codes the domain does not know are skipped (see `roles::permission_set`).
    pub permissions: Vec<Permission>,
}

#[derive(FromRow)]
struct RoleRow {
    id: String,
    name: String,
    description: Option<String>,
    organization_id: Option<String>,
    is_seeded: i64,
}

/// A company never has more custom roles than this; every list of roles is one bounded read.
pub const MAX_CUSTOM_ROLES: i64 = 100;
/// Seeded and merchant roles, plus a company's custom ones, stay below this.
const MAX_LISTED: i64 = 300;

const COLUMNS: &str = "r.id, r.name, r.description, r.organization_id, r.is_seeded";

/// Reads the roles `filter` selects (a WHERE clause over `roles r` with `$1`) and, with a
/// second query over the same filter, their permissions.
async fn roles_where(
    conn: &mut AnyConnection,
    from: &str,
    filter: &str,
    bind: &str,
) -> Result<Vec<RoleRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {from} WHERE {filter} ORDER BY r.is_seeded DESC, lower(r.name), r.id LIMIT {MAX_LISTED}"
    );
    let rows: Vec<RoleRow> = sqlx::query_as(&sql).bind(bind).fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT rp.role_id, rp.permission_code FROM {from} JOIN role_permissions rp ON rp.role_id = r.id \
         WHERE {filter} ORDER BY rp.role_id, rp.permission_code"
    );
    let pairs: Vec<(String, String)> = sqlx::query_as(&sql).bind(bind).fetch_all(&mut *conn).await?;
    let mut permissions: HashMap<String, Vec<Permission>> = HashMap::new();
    for (role_id, code) in pairs {
        if let Ok(p) = code.parse::<Permission>() {
            permissions.entry(role_id).or_default().push(p);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut perms = permissions.remove(&row.id).unwrap_or_default();
            perms.sort();
            perms.dedup();
            RoleRecord {
                id: row.id,
                name: row.name,
                description: row.description,
                organization_id: row.organization_id,
                is_seeded: row.is_seeded != 0,
                permissions: perms,
            }
        })
        .collect())
}

/// The roles a company's administrators work with: the seeded roles (read-only) and the
/// company's own custom roles — seeded first, then by name.
pub async fn of_company(conn: &mut AnyConnection, organization_id: &str) -> Result<Vec<RoleRecord>, StoreError> {
    roles_where(
        conn,
        "roles r",
        "((r.is_seeded = 1 AND r.organization_id IS NULL) OR r.organization_id = $1)",
        organization_id,
    )
    .await
}

/// Every role `user_id` has been granted (whatever its dates or owner).
pub async fn held_by(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<RoleRecord>, StoreError> {
    roles_where(conn, "user_roles ur JOIN roles r ON r.id = ur.role_id", "ur.user_id = $1", user_id).await
}

/// The role `role_id`, whoever owns it (the use case decides whether the caller may use it).
pub async fn find(conn: &mut AnyConnection, role_id: &str) -> Result<Option<RoleRecord>, StoreError> {
    Ok(roles_where(conn, "roles r", "r.id = $1", role_id).await?.pop())
}

/// The custom role `role_id` of `organization_id`, or `None` (seeded, unknown, another's).
pub async fn find_custom(
    conn: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
) -> Result<Option<RoleRecord>, StoreError> {
    Ok(find(conn, role_id).await?.filter(|r| !r.is_seeded && r.organization_id.as_deref() == Some(organization_id)))
}

pub async fn count_custom(conn: &mut AnyConnection, organization_id: &str) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roles WHERE organization_id = $1")
        .bind(organization_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// How many logins (not released) hold `role_id` — what deleting it would touch.
pub async fn holders(conn: &mut AnyConnection, role_id: &str) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id \
         WHERE ur.role_id = $1 AND u.released_at IS NULL",
    )
    .bind(role_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
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

/// A new custom role of `organization_id`; a name the company already uses (in any case) is
/// `Duplicate(RoleName)`.
pub async fn insert(
    conn: &mut AnyConnection,
    organization_id: &str,
    role: &RoleDefinition,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) \
         VALUES ($1, NULL, $2, $3, $4, 0, $5)",
    )
    .bind(&id)
    .bind(&role.name)
    .bind(role.description.as_deref())
    .bind(organization_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    set_permissions(conn, &id, &role.permissions).await?;
    Ok(id)
}

/// Replaces the name, description and permissions of the custom role `role_id` of
/// `organization_id` (nothing happens to another company's role).
pub async fn update(
    conn: &mut AnyConnection,
    organization_id: &str,
    role_id: &str,
    role: &RoleDefinition,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE roles SET name = $3, description = $4 WHERE id = $1 AND organization_id = $2 AND is_seeded = 0",
    )
    .bind(role_id)
    .bind(organization_id)
    .bind(&role.name)
    .bind(role.description.as_deref())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    set_permissions(conn, role_id, &role.permissions).await
}

/// Deletes the custom role `role_id` of `organization_id` with its grants and permissions.
/// A merchant may have used it as a site's required role or in a user type: those references
/// go too, so the delete never fails half-way.
pub async fn delete(conn: &mut AnyConnection, organization_id: &str, role_id: &str) -> Result<(), StoreError> {
    let (owned,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM roles WHERE id = $1 AND organization_id = $2 AND is_seeded = 0")
            .bind(role_id)
            .bind(organization_id)
            .fetch_one(&mut *conn)
            .await?;
    if owned != 1 {
        return Err(StoreError::NotFound);
    }
    for sql in [
        "DELETE FROM user_roles WHERE role_id = $1",
        "DELETE FROM role_permissions WHERE role_id = $1",
        "DELETE FROM user_type_roles WHERE role_id = $1",
        "DELETE FROM enrollment_roles WHERE role_id = $1",
        "UPDATE sites SET required_role_id = NULL WHERE required_role_id = $1",
        "DELETE FROM roles WHERE id = $1",
    ] {
        sqlx::query(sql).bind(role_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes away `role_id` from `user_id`; whether they held it.
pub async fn revoke(conn: &mut AnyConnection, user_id: &str, role_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2")
        .bind(user_id)
        .bind(role_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
