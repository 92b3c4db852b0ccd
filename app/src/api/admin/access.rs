//! What the server functions of the access tabs (ADM-4 … ADM-6) and of Role Management
//! (ADM-7) share: the capability each makes itself (SEC-5) and the role as pages show it.

use crate::api::error::AppError;
use crate::api::ssr::{reference, state, to_app_error};
use crate::backend::authz::CompanyAdmin;
use crate::backend::store::custom_roles::RoleRecord;
use crate::backend::AppState;
use crate::domain::Permission;

use super::user_roles::RoleView;

/// A contact's pages: MANAGE_CONTACTS (the use case checks the tab's own permission too).
pub async fn contact_admin() -> Result<(AppState, CompanyAdmin), AppError> {
    admin(Permission::ManageContacts).await
}

/// Role Management: MANAGE_ROLES.
pub async fn roles_admin() -> Result<(AppState, CompanyAdmin), AppError> {
    admin(Permission::ManageRoles).await
}

async fn admin(permission: Permission) -> Result<(AppState, CompanyAdmin), AppError> {
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(permission).map_err(|e| to_app_error(e, reference()))?;
    Ok((state()?, admin))
}

pub fn role_view(role: RoleRecord) -> RoleView {
    RoleView { id: role.id, name: role.name, description: role.description, permissions: role.permissions }
}
