//! ADM-4, the Roles tab of a user: the roles they hold, and the roles the administrator may
//! grant them. Granted or revoked, a role counts from the user's next request (permissions are
//! read per request).
//!
//! No escalation: an administrator grants or revokes only a role they could have made
//! themselves — a seeded role or one of their company's custom roles — whose every
//! permission they hold. (SPEC says "roles the primary user holds"; a role made of a subset
//! of their permissions gives nothing more, and it is how a custom role reaches anyone.)

use serde_json::json;

use super::access::{audit_change, login_of, login_to_change};
use super::keeps_an_administrator;
use crate::backend::authz::CompanyAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::contacts::Subject;
use crate::backend::store::custom_roles::{self, RoleRecord};
use crate::backend::store::{roles, sites};
use crate::domain::admin_role::within;
use crate::domain::Permission;

/// One role the user holds; `revocable` when the administrator may take it away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRole {
    pub role: RoleRecord,
    pub revocable: bool,
}

/// What the Roles tab shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRoles {
    pub subject: Subject,
    pub held: Vec<HeldRole>,
    /// Roles the administrator may grant and the user lacks.
    pub grantable: Vec<RoleRecord>,
}

/// Whether `admin` may grant or revoke `role`: a seeded role or their company's own, and no
/// wider than their own permissions.
pub fn manageable(admin: &CompanyAdmin, role: &RoleRecord) -> bool {
    let ours = match role.organization_id.as_deref() {
        None => role.is_seeded,
        Some(organization_id) => organization_id == admin.organization_id(),
    };
    ours && within(&role.permissions, admin.permissions())
}

pub async fn user_roles(state: &AppState, admin: &CompanyAdmin, contact_id: &str) -> Result<UserRoles, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (subject, user) = login_of(&mut conn, admin, contact_id, Permission::AssignRoles).await?;
    let held = custom_roles::held_by(&mut conn, &user.id).await?;
    let grantable = custom_roles::of_company(&mut conn, admin.organization_id())
        .await?
        .into_iter()
        .filter(|role| manageable(admin, role) && !held.iter().any(|h| h.id == role.id))
        .collect();
    let held = held.into_iter().map(|role| HeldRole { revocable: manageable(admin, &role), role }).collect();
    Ok(UserRoles { subject, held, grantable })
}

fn described(role: &RoleRecord) -> serde_json::Value {
    json!({ "role_id": role.id, "role_name": role.name, "permissions": role.permissions })
}

/// Grants `role_id` to the contact's login, with the sites that require it (ADM-5). A role id
/// outside what [`manageable`] allows — unknown, another company's (NotFound), wider than the
/// administrator (Forbidden) — changes nothing. Granting a role already held changes nothing.
pub async fn grant_role(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    role_id: &str,
) -> Result<RoleRecord, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (_, user) = login_to_change(&mut tx, admin, contact_id, Permission::AssignRoles).await?;
    let role = visible_role(&mut tx, admin, role_id).await?;
    if !manageable(admin, &role) {
        return Err(ServiceError::Forbidden);
    }
    if custom_roles::held_by(&mut tx, &user.id).await?.iter().any(|h| h.id == role.id) {
        return Ok(role);
    }
    roles::grant(&mut tx, &user.id, &role.id, Some(admin.user_id()), now).await?;
    let given = sites::assign_for_role(&mut tx, &user.id, &role.id, now).await?;
    keeps_an_administrator(&mut tx, admin.organization_id(), now).await?;
    let mut after = described(&role);
    after["sites_given"] = json!(given);
    audit_change(&mut tx, admin, "user.role_granted", &user, None, Some(after), now).await?;
    tx.commit().await?;
    Ok(role)
}

/// Takes `role_id` away from the contact's login. Not the caller's own roles (OwnAccess), and
/// never the company's last active administrator's (LastAdministrator).
pub async fn revoke_role(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    role_id: &str,
) -> Result<RoleRecord, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (_, user) = login_to_change(&mut tx, admin, contact_id, Permission::AssignRoles).await?;
    let role = visible_role(&mut tx, admin, role_id).await?;
    if !manageable(admin, &role) {
        return Err(ServiceError::Forbidden);
    }
    if !custom_roles::revoke(&mut tx, &user.id, &role.id).await? {
        return Ok(role);
    }
    keeps_an_administrator(&mut tx, admin.organization_id(), now).await?;
    audit_change(&mut tx, admin, "user.role_revoked", &user, Some(described(&role)), None, now).await?;
    tx.commit().await?;
    Ok(role)
}

/// A seeded or merchant role, or the admin's company's own custom role; another company's
/// custom role is as unknown as a made-up id (SEC-5).
async fn visible_role(
    conn: &mut sqlx::AnyConnection,
    admin: &CompanyAdmin,
    role_id: &str,
) -> Result<RoleRecord, ServiceError> {
    custom_roles::find(conn, role_id)
        .await?
        .filter(|r| r.organization_id.as_deref().is_none_or(|o| o == admin.organization_id()))
        .ok_or(ServiceError::NotFound)
}
