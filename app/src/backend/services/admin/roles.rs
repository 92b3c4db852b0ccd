//! ADM-7, Role Management (MANAGE_ROLES): the seeded roles (read-only) and the company's own
//! custom roles — create, update, delete. A custom role holds only permissions its author
//! holds, and a role wider than the administrator is neither edited nor deleted by them (no
//! escalation). Its holders see a change on their next request (permissions are read per
//! request). Every change is audited (CON-5).

use serde_json::json;

use super::require;
use crate::backend::authz::CompanyAdmin;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::state::AppState;
use crate::backend::store::addresses::{lock_owner, Owner};
use crate::backend::store::audit;
use crate::backend::store::custom_roles::{self, RoleRecord, MAX_CUSTOM_ROLES};
use crate::domain::admin_role::{within, ROLE_NAME_TAKEN};
use crate::domain::{Permission, RoleDefinition};

/// One row of Role Management; `editable` for a custom role within the caller's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedRole {
    pub role: RoleRecord,
    pub editable: bool,
}

pub async fn role_management(state: &AppState, admin: &CompanyAdmin) -> Result<Vec<ManagedRole>, ServiceError> {
    require(admin, Permission::ManageRoles)?;
    let mut conn = state.db.pool().acquire().await?;
    let roles = custom_roles::of_company(&mut conn, admin.organization_id()).await?;
    Ok(roles
        .into_iter()
        .map(|role| ManagedRole { editable: !role.is_seeded && within(&role.permissions, admin.permissions()), role })
        .collect())
}

/// The company's custom role `role_id`, to edit or delete: a seeded role, another company's or
/// an unknown id is NotFound; one wider than the administrator is Forbidden.
async fn own_role(
    conn: &mut sqlx::AnyConnection,
    admin: &CompanyAdmin,
    role_id: &str,
) -> Result<RoleRecord, ServiceError> {
    let role =
        custom_roles::find_custom(conn, admin.organization_id(), role_id).await?.ok_or(ServiceError::NotFound)?;
    if !within(&role.permissions, admin.permissions()) {
        return Err(ServiceError::Forbidden);
    }
    Ok(role)
}

/// The role and how many users hold it (the delete confirmation says so).
pub async fn custom_role(
    state: &AppState,
    admin: &CompanyAdmin,
    role_id: &str,
) -> Result<(RoleRecord, i64), ServiceError> {
    require(admin, Permission::ManageRoles)?;
    let mut conn = state.db.pool().acquire().await?;
    let role = own_role(&mut conn, admin, role_id).await?;
    let holders = custom_roles::holders(&mut conn, &role.id).await?;
    Ok((role, holders))
}

fn taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(Unique::RoleName) => ServiceError::field("name", ROLE_NAME_TAKEN),
        other => other.into(),
    }
}

/// The definition must stay within the author's permissions, whatever the form checked.
fn check_within(admin: &CompanyAdmin, role: &RoleDefinition) -> Result<(), ServiceError> {
    if role.permissions.is_empty() || !within(&role.permissions, admin.permissions()) {
        return Err(ServiceError::field("permissions", "Choose only permissions you hold yourself"));
    }
    Ok(())
}

fn described(name: &str, description: Option<&str>, permissions: &[Permission]) -> String {
    json!({ "name": name, "description": description, "permissions": permissions }).to_string()
}

async fn audit_role(
    conn: &mut sqlx::AnyConnection,
    admin: &CompanyAdmin,
    action: &str,
    role_id: &str,
    before: Option<String>,
    after: Option<String>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type: "role",
        subject_id: role_id,
        before: before.as_deref(),
        after: after.as_deref(),
        justification: None,
    };
    audit::append(conn, &entry, now_ms).await
}

/// A new custom role of the administrator's company; its id. A name the company already uses
/// (in any case) is an error on the name.
pub async fn create_role(
    state: &AppState,
    admin: &CompanyAdmin,
    role: &RoleDefinition,
) -> Result<String, ServiceError> {
    require(admin, Permission::ManageRoles)?;
    check_within(admin, role)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_owner(&mut tx, Owner::Organization(admin.organization_id())).await?;
    if custom_roles::count_custom(&mut tx, admin.organization_id()).await? >= MAX_CUSTOM_ROLES {
        return Err(ServiceError::field(
            "name",
            format!("Your company already has {MAX_CUSTOM_ROLES} roles. Delete one before adding another"),
        ));
    }
    let id = custom_roles::insert(&mut tx, admin.organization_id(), role, now).await.map_err(taken)?;
    let after = described(&role.name, role.description.as_deref(), &role.permissions);
    audit_role(&mut tx, admin, "role.created", &id, None, Some(after), now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_role(
    state: &AppState,
    admin: &CompanyAdmin,
    role_id: &str,
    role: &RoleDefinition,
) -> Result<(), ServiceError> {
    require(admin, Permission::ManageRoles)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_owner(&mut tx, Owner::Organization(admin.organization_id())).await?;
    let existing = own_role(&mut tx, admin, role_id).await?;
    check_within(admin, role)?;
    custom_roles::update(&mut tx, admin.organization_id(), &existing.id, role).await.map_err(taken)?;
    let before = described(&existing.name, existing.description.as_deref(), &existing.permissions);
    let after = described(&role.name, role.description.as_deref(), &role.permissions);
    audit_role(&mut tx, admin, "role.updated", &existing.id, Some(before), Some(after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the custom role and every grant of it; its name.
pub async fn delete_role(state: &AppState, admin: &CompanyAdmin, role_id: &str) -> Result<String, ServiceError> {
    require(admin, Permission::ManageRoles)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_owner(&mut tx, Owner::Organization(admin.organization_id())).await?;
    let role = own_role(&mut tx, admin, role_id).await?;
    let holders = custom_roles::holders(&mut tx, &role.id).await?;
    custom_roles::delete(&mut tx, admin.organization_id(), &role.id).await?;
    let before = json!({
        "name": role.name,
        "description": role.description,
        "permissions": role.permissions,
        "holders": holders,
    })
    .to_string();
    audit_role(&mut tx, admin, "role.deleted", &role.id, Some(before), None, now).await?;
    tx.commit().await?;
    Ok(role.name)
}
