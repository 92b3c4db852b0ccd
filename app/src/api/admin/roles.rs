//! ADM-7, Role Management (MANAGE_ROLES): the seeded roles, the company's custom roles, and
//! their create / edit / delete. Only the caller's own permissions are offered and accepted.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::user_roles::RoleView;
use crate::api::error::AppError;
use crate::domain::{Permission, RoleForm};

/// One custom role; `editable` when it is within the caller's permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomRoleView {
    pub role: RoleView,
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleManagementInfo {
    pub seeded: Vec<RoleView>,
    pub custom: Vec<CustomRoleView>,
}

/// What the role form needs: the role being edited (none for a new one), and the permissions
/// the caller may put in a role (their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleEditorInfo {
    pub role: Option<RoleView>,
    pub offered: Vec<Permission>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDeletionInfo {
    pub role: RoleView,
    pub holders: i64,
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "role_created" => Some("The role was created."),
        "role_saved" => Some("The role was saved. Its holders have the new permissions from their next page."),
        "role_deleted" => Some("The role was deleted."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "admin/roles/list")]
pub async fn role_management() -> Result<RoleManagementInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    let roles = crate::backend::services::admin::roles::role_management(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let (seeded, custom): (Vec<_>, Vec<_>) = roles.into_iter().partition(|r| r.role.is_seeded);
    Ok(RoleManagementInfo {
        seeded: seeded.into_iter().map(|r| super::access::role_view(r.role)).collect(),
        custom: custom
            .into_iter()
            .map(|r| CustomRoleView { editable: r.editable, role: super::access::role_view(r.role) })
            .collect(),
    })
}

/// The form of a new role (`id` empty) or of the company's custom role `id`.
#[server(prefix = "/rpc", endpoint = "admin/roles/editor")]
pub async fn role_editor(id: String) -> Result<RoleEditorInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    let offered = admin.permissions().iter().collect();
    if id.is_empty() {
        return Ok(RoleEditorInfo { role: None, offered });
    }
    let (role, _) = crate::backend::services::admin::roles::custom_role(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(RoleEditorInfo { role: Some(super::access::role_view(role)), offered })
}

#[server(prefix = "/rpc", endpoint = "admin/roles/create", input = server_fn::codec::Json)]
pub async fn create_role(#[server(flatten)] form: RoleForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    let role = form.validate(admin.permissions()).map_err(|fields| AppError::Validation { fields })?;
    let id = crate::backend::services::admin::roles::create_role(&state, &admin, &role)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), role_id = %id, "custom role created");
    Ok(format!("{}?notice=role_created", super::ROLES))
}

#[server(prefix = "/rpc", endpoint = "admin/roles/update", input = server_fn::codec::Json)]
pub async fn update_role(id: String, #[server(flatten)] form: RoleForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    let role = form.validate(admin.permissions()).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::admin::roles::update_role(&state, &admin, &id, &role)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=role_saved", super::ROLES))
}

#[server(prefix = "/rpc", endpoint = "admin/roles/deletion")]
pub async fn role_deletion(id: String) -> Result<RoleDeletionInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    let (role, holders) = crate::backend::services::admin::roles::custom_role(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(RoleDeletionInfo { role: super::access::role_view(role), holders })
}

#[server(prefix = "/rpc", endpoint = "admin/roles/delete")]
pub async fn delete_role(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::roles_admin().await?;
    crate::backend::services::admin::roles::delete_role(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=role_deleted", super::ROLES))
}
