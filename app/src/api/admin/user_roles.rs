//! ADM-4, the Roles tab of a contact's login (MANAGE_CONTACTS + ASSIGN_ROLES): the roles the
//! user holds and those the administrator may grant; Grant and Revoke (no confirmation).
//! Each change answers where to go next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ContactHeading;
use crate::api::error::AppError;
use crate::domain::Permission;

/// A role as the admin pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<Permission>,
}

/// One role the user holds; `revocable` when the administrator may take it away (a role wider
/// than their own permissions, or granted by the merchant, is not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRoleView {
    pub role: RoleView,
    pub revocable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRolesInfo {
    pub heading: ContactHeading,
    pub held: Vec<HeldRoleView>,
    pub grantable: Vec<RoleView>,
}

pub fn roles_href(contact_id: &str) -> String {
    format!("{}/{contact_id}/roles", super::CONTACTS)
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "role_granted" => Some("The role was granted. It applies from the user's next page."),
        "role_revoked" => Some("The role was revoked. It no longer applies from the user's next page."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/roles")]
pub async fn user_roles(id: String) -> Result<UserRolesInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    let found = crate::backend::services::admin::user_roles::user_roles(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(UserRolesInfo {
        heading: super::ssr::heading(&admin, &found.subject),
        held: found
            .held
            .into_iter()
            .map(|h| HeldRoleView { role: super::access::role_view(h.role), revocable: h.revocable })
            .collect(),
        grantable: found.grantable.into_iter().map(super::access::role_view).collect(),
    })
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/roles/grant")]
pub async fn grant_role(id: String, role_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    let role = crate::backend::services::admin::user_roles::grant_role(&state, &admin, &id, &role_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), contact_id = %id, role_id = %role.id, "role granted");
    Ok(format!("{}?notice=role_granted", roles_href(&id)))
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/roles/revoke")]
pub async fn revoke_role(id: String, role_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    let role = crate::backend::services::admin::user_roles::revoke_role(&state, &admin, &id, &role_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), contact_id = %id, role_id = %role.id, "role revoked");
    Ok(format!("{}?notice=role_revoked", roles_href(&id)))
}
