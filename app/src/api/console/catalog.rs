//! CON-2, the "Roles and sites" section: `/console/roles…` (the merchant's roles and their
//! permissions), `/console/enrollments…` (APR-10) and `/console/sites…` (ADM-5).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::user_types::ChoiceView;
use crate::api::error::AppError;
use crate::domain::catalog::{EnrollmentForm, MerchantRoleForm, SiteForm};
use crate::domain::Permission;

pub const ROLES: &str = "/console/roles";
pub const ENROLLMENTS: &str = "/console/enrollments";
pub const SITES: &str = "/console/sites";

/// The section's sub-tabs: (label, href).
pub const ROLES_AND_SITES_TABS: &[(&str, &str)] = &[("Roles", ROLES), ("Enrollments", ENROLLMENTS), ("Sites", SITES)];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantRoleView {
    pub id: String,
    /// Seeded roles only.
    pub key: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub is_seeded: bool,
    pub permissions: Vec<Permission>,
    /// What the role must keep (the Primary User roles).
    pub essentials: Vec<Permission>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentView {
    pub id: String,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub approval_definition: Option<String>,
    pub roles: Vec<String>,
    pub active: bool,
}

/// The editor of a new enrollment (`stored` none) or of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentEditorInfo {
    pub stored: Option<(String, EnrollmentForm)>,
    pub definitions: Vec<ChoiceView>,
    pub roles: Vec<ChoiceView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    pub id: String,
    pub key: String,
    pub name: String,
    pub required_role: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteEditorInfo {
    pub stored: Option<(String, SiteForm)>,
    pub roles: Vec<ChoiceView>,
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "role_created" => Some("The role was created."),
        "role_saved" => Some("The role was saved. Its holders have its permissions from their next page."),
        "enrollment_created" => Some("The enrollment was created."),
        "enrollment_saved" => Some("The enrollment was saved."),
        "site_created" => Some("The site was created."),
        "site_saved" => Some("The site was saved."),
        _ => None,
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::backend::store::catalog::MerchantRoleRecord;
    use crate::domain::catalog::essential_permissions;

    pub fn role_view(r: MerchantRoleRecord) -> MerchantRoleView {
        MerchantRoleView {
            essentials: essential_permissions(r.key.as_deref()).to_vec(),
            id: r.id,
            key: r.key,
            name: r.name,
            description: r.description,
            is_seeded: r.is_seeded,
            permissions: r.permissions,
        }
    }

    pub fn role_choices(roles: Vec<MerchantRoleRecord>) -> Vec<ChoiceView> {
        roles.into_iter().map(|r| ChoiceView { id: r.id, name: r.name }).collect()
    }
}

#[server(prefix = "/rpc", endpoint = "console/roles/list")]
pub async fn merchant_roles() -> Result<Vec<MerchantRoleView>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let roles = crate::backend::services::console::catalog::merchant_roles(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(roles.into_iter().map(ssr::role_view).collect())
}

#[server(prefix = "/rpc", endpoint = "console/roles/one")]
pub async fn merchant_role_detail(id: String) -> Result<MerchantRoleView, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let role = crate::backend::services::console::catalog::merchant_role(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ssr::role_view(role))
}

#[server(prefix = "/rpc", endpoint = "console/roles/create", input = server_fn::codec::Json)]
pub async fn create_merchant_role(#[server(flatten)] form: MerchantRoleForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let role = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::catalog::create_merchant_role(&state, &admin, &role)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{ROLES}?notice=role_created"))
}

/// Saves the role `id`: a seeded role's permissions, or every field of a merchant role (the use
/// case reads the form, since which fields count depends on the stored role).
#[server(prefix = "/rpc", endpoint = "console/roles/update", input = server_fn::codec::Json)]
pub async fn update_merchant_role(id: String, #[server(flatten)] form: MerchantRoleForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::console::catalog::update_merchant_role(&state, &admin, &id, &form)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{ROLES}?notice=role_saved"))
}

#[server(prefix = "/rpc", endpoint = "console/enrollments/list")]
pub async fn enrollment_list() -> Result<Vec<EnrollmentView>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let list = crate::backend::services::console::catalog::enrollments(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(list
        .into_iter()
        .map(|e| EnrollmentView {
            id: e.id,
            key: e.key,
            name: e.name,
            description: e.description,
            approval_definition: e.approval_definition,
            roles: e.roles.into_iter().map(|(_, name)| name).collect(),
            active: e.active,
        })
        .collect())
}

/// The editor of the enrollment `id`, or of a new one when `id` is empty.
#[server(prefix = "/rpc", endpoint = "console/enrollments/editor")]
pub async fn enrollment_editor(id: String) -> Result<EnrollmentEditorInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::catalog;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let to_app = |e| to_app_error(e, reference());
    let stored = if id.is_empty() {
        None
    } else {
        let e = catalog::enrollment(&state, &admin, &id).await.map_err(to_app)?;
        let form = EnrollmentForm {
            key: e.key,
            name: e.name,
            description: e.description.unwrap_or_default(),
            approval_definition_id: e.approval_definition_id.unwrap_or_default(),
            roles: e.roles.into_iter().map(|(id, _)| id).collect(),
            active: e.active,
        };
        Some((e.id, form))
    };
    let choices = catalog::choices(&state, &admin).await.map_err(to_app)?;
    Ok(EnrollmentEditorInfo {
        stored,
        definitions: choices.definitions.into_iter().map(|d| ChoiceView { id: d.id, name: d.name }).collect(),
        roles: ssr::role_choices(choices.roles),
    })
}

#[server(prefix = "/rpc", endpoint = "console/enrollments/create", input = server_fn::codec::Json)]
pub async fn create_enrollment(#[server(flatten)] form: EnrollmentForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate(true).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::catalog::save_enrollment(&state, &admin, None, &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{ENROLLMENTS}?notice=enrollment_created"))
}

#[server(prefix = "/rpc", endpoint = "console/enrollments/update", input = server_fn::codec::Json)]
pub async fn update_enrollment(id: String, #[server(flatten)] form: EnrollmentForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate(false).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::catalog::save_enrollment(&state, &admin, Some(&id), &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{ENROLLMENTS}?notice=enrollment_saved"))
}

#[server(prefix = "/rpc", endpoint = "console/sites/list")]
pub async fn site_list() -> Result<Vec<SiteView>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let list = crate::backend::services::console::catalog::sites(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(list
        .into_iter()
        .map(|s| SiteView {
            id: s.id,
            key: s.key,
            name: s.name,
            required_role: s.required_role,
            active: s.is_active != 0,
        })
        .collect())
}

/// The editor of the site `id`, or of a new one when `id` is empty.
#[server(prefix = "/rpc", endpoint = "console/sites/editor")]
pub async fn site_editor(id: String) -> Result<SiteEditorInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::catalog;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let to_app = |e| to_app_error(e, reference());
    let stored = if id.is_empty() {
        None
    } else {
        let s = catalog::site(&state, &admin, &id).await.map_err(to_app)?;
        let form = SiteForm {
            key: s.key,
            name: s.name,
            required_role_id: s.required_role_id.unwrap_or_default(),
            active: s.is_active != 0,
        };
        Some((s.id, form))
    };
    let roles = catalog::merchant_roles(&state, &admin).await.map_err(to_app)?;
    Ok(SiteEditorInfo { stored, roles: ssr::role_choices(roles) })
}

#[server(prefix = "/rpc", endpoint = "console/sites/create", input = server_fn::codec::Json)]
pub async fn create_site(#[server(flatten)] form: SiteForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate(true).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::catalog::save_site(&state, &admin, None, &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{SITES}?notice=site_created"))
}

#[server(prefix = "/rpc", endpoint = "console/sites/update", input = server_fn::codec::Json)]
pub async fn update_site(id: String, #[server(flatten)] form: SiteForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate(false).map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::catalog::save_site(&state, &admin, Some(&id), &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{SITES}?notice=site_saved"))
}
