//! CON-1: `/console/user-types` and `/console/user-types/{key}`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::{UserTypeForm, UserTypeKind};

pub const USER_TYPES: &str = "/console/user-types";

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTypeLine {
    pub key: String,
    pub long_name: String,
    pub short_name: String,
    pub group: Option<String>,
    pub kind: UserTypeKind,
    pub is_active: bool,
    pub is_self_service: bool,
}

/// An id and a name, for the editor's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub id: String,
    pub name: String,
}

/// The editor of a new type (`stored` none) or of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTypeEditorInfo {
    pub stored: Option<UserTypeForm>,
    pub definitions: Vec<ChoiceView>,
    pub roles: Vec<ChoiceView>,
    pub enrollments: Vec<ChoiceView>,
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "created" => Some("The user type was created."),
        "saved" => Some("The user type was saved. Registration uses it from now on."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "console/user_types/list")]
pub async fn user_type_list() -> Result<Vec<UserTypeLine>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let types = crate::backend::services::console::user_types::list(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(types
        .into_iter()
        .map(|t| UserTypeLine {
            key: t.key,
            long_name: t.long_name,
            short_name: t.short_name,
            group: t.group_key,
            kind: t.kind,
            is_active: t.is_active,
            is_self_service: t.is_self_service,
        })
        .collect())
}

/// The editor of the type `key`, or of a new type when `key` is empty.
#[server(prefix = "/rpc", endpoint = "console/user_types/editor")]
pub async fn user_type_editor(key: String) -> Result<UserTypeEditorInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::user_types;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let to_app = |e| to_app_error(e, reference());
    let choices = user_types::choices(&state, &admin).await.map_err(to_app)?;
    let stored = if key.is_empty() {
        None
    } else {
        let d = user_types::detail(&state, &admin, &key).await.map_err(to_app)?;
        let t = d.user_type;
        Some(UserTypeForm {
            key: t.key,
            long_name: t.long_name,
            short_name: t.short_name,
            group: t.group_key.unwrap_or_default(),
            kind: t.kind.to_string(),
            approval_definition: t.approval_definition_id.unwrap_or_default(),
            roles: d.role_ids,
            enrollments: d.enrollment_ids,
            active: t.is_active,
            self_service: t.is_self_service,
            sort_order: d.sort_order.to_string(),
        })
    };
    let views = |choices: Vec<crate::backend::store::user_types::Choice>| -> Vec<ChoiceView> {
        choices.into_iter().map(|c| ChoiceView { id: c.id, name: c.name }).collect()
    };
    Ok(UserTypeEditorInfo {
        stored,
        definitions: views(choices.definitions),
        roles: views(choices.roles),
        enrollments: views(choices.enrollments),
    })
}

#[server(prefix = "/rpc", endpoint = "console/user_types/create", input = server_fn::codec::Json)]
pub async fn create_user_type(#[server(flatten)] form: UserTypeForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let t = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let key = crate::backend::services::console::user_types::create(&state, &admin, &t)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{USER_TYPES}/{key}?notice=created"))
}

/// Saves the type now at `current_key` (the form's `key` may rename it).
#[server(prefix = "/rpc", endpoint = "console/user_types/update", input = server_fn::codec::Json)]
pub async fn update_user_type(current_key: String, #[server(flatten)] form: UserTypeForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let t = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let key = crate::backend::services::console::user_types::update(&state, &admin, &current_key, &t)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{USER_TYPES}/{key}?notice=saved"))
}
