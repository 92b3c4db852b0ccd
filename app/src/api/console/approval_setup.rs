//! CON-2, the "Approvals setup" section: `/console/approval-definitions…` (definitions and their
//! ordered steps, APR-1, APR-2) and `/console/approval-groups…` (groups and members, APR-3).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::approval_setup::{DefinitionForm, DefinitionNameForm, GroupForm, MemberForm, StepForm, StepMove};
use crate::domain::ApproverKind;

pub const DEFINITIONS: &str = "/console/approval-definitions";
pub const GROUPS: &str = "/console/approval-groups";

/// The section's sub-tabs: (label, href).
pub const APPROVALS_SETUP_TABS: &[(&str, &str)] = &[("Approval definitions", DEFINITIONS), ("Approval groups", GROUPS)];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionLine {
    pub id: String,
    pub key: String,
    pub name: String,
    pub steps: i64,
    pub used_by: i64,
    pub waiting: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub id: String,
    pub position: i64,
    pub kind: ApproverKind,
    /// Who decides, by name ("lee.chen", "Regional desk (Acme Tools)").
    pub approver: Option<String>,
    /// Requests waiting at this step (submitted under the current steps).
    pub waiting: i64,
}

/// A group a step may name, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionView {
    pub id: String,
    pub key: String,
    pub name: String,
    pub steps: Vec<StepView>,
    pub waiting_under_earlier_versions: i64,
    /// "User type: …", "Enrollment: …".
    pub used_by: Vec<String>,
    pub groups: Vec<GroupChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLine {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub members: i64,
    pub steps: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: String,
    pub username: String,
    pub name: String,
    /// The member's company, or "Merchant admin".
    pub company: String,
    /// Active, and a merchant admin or a holder of PENDING_APPROVALS_GROUP (APR-3).
    pub may_decide: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: String,
    /// The form as stored.
    pub form: GroupForm,
    pub scope: String,
    pub steps: i64,
    pub members: Vec<MemberView>,
}

/// A group's scope in words.
pub fn scope_label(organization: Option<(&str, &str)>) -> String {
    match organization {
        None => "All organizations".to_owned(),
        Some((name, registry_id)) => format!("{name} ({registry_id})"),
    }
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "created" => Some("The approval definition was created. Add its steps below."),
        "renamed" => Some("The name was saved."),
        "step_added" | "step_removed" | "step_moved" => Some(
            "The steps were saved. Requests submitted from now on follow them; requests already waiting keep the steps they were submitted with.",
        ),
        "group_created" => Some("The approval group was created. Add its members below."),
        "group_saved" => Some("The approval group was saved."),
        "member_added" => Some("The member was added."),
        "member_removed" => Some("The member was removed."),
        _ => None,
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::backend::store::approval_setup::{GroupRecord, StepRecord};

    pub fn group_scope(g: &GroupRecord) -> String {
        scope_label(g.organization_name.as_deref().zip(g.registry_id.as_deref()))
    }

    pub fn step_view(s: StepRecord, groups: &[GroupRecord]) -> StepView {
        let approver = match s.kind {
            ApproverKind::User => s.username,
            ApproverKind::Group => {
                let scope = groups.iter().find(|g| Some(&g.id) == s.group_id.as_ref()).map(group_scope);
                s.group_name.map(|name| format!("{name} · {}", scope.unwrap_or_default()))
            }
            ApproverKind::PrimaryUsers | ApproverKind::Universal => None,
        };
        StepView { id: s.id, position: s.position, kind: s.kind, approver, waiting: s.waiting }
    }
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/list")]
pub async fn approval_definitions() -> Result<Vec<DefinitionLine>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let lines = crate::backend::services::console::approval_setup::definitions(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(lines
        .into_iter()
        .map(|d| DefinitionLine {
            id: d.id,
            key: d.key,
            name: d.name,
            steps: d.steps,
            used_by: d.used_by,
            waiting: d.waiting,
        })
        .collect())
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/one")]
pub async fn approval_definition(id: String) -> Result<DefinitionView, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let page = crate::backend::services::console::approval_setup::definition(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let groups = page.groups;
    Ok(DefinitionView {
        id: page.definition.id,
        key: page.definition.key,
        name: page.definition.name,
        steps: page.steps.into_iter().map(|s| ssr::step_view(s, &groups)).collect(),
        waiting_under_earlier_versions: page.waiting_under_earlier_versions,
        used_by: page.used_by.into_iter().map(|(what, name)| format!("{what}: {name}")).collect(),
        groups: groups
            .iter()
            .map(|g| GroupChoice { id: g.id.clone(), label: format!("{} · {}", g.name, ssr::group_scope(g)) })
            .collect(),
    })
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/create", input = server_fn::codec::Json)]
pub async fn create_approval_definition(#[server(flatten)] form: DefinitionForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let new = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let id = crate::backend::services::console::approval_setup::create_definition(&state, &admin, &new)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{DEFINITIONS}/{id}?notice=created"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/rename", input = server_fn::codec::Json)]
pub async fn rename_approval_definition(
    id: String,
    #[server(flatten)] form: DefinitionNameForm,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let name = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::approval_setup::rename_definition(&state, &admin, &id, &name)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{DEFINITIONS}/{id}?notice=renamed"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/steps/add", input = server_fn::codec::Json)]
pub async fn add_approval_step(id: String, #[server(flatten)] form: StepForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let approver = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::approval_setup::add_step(&state, &admin, &id, &approver)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{DEFINITIONS}/{id}?notice=step_added"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/steps/remove")]
pub async fn remove_approval_step(id: String, step_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::console::approval_setup::remove_step(&state, &admin, &id, &step_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{DEFINITIONS}/{id}?notice=step_removed"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_definitions/steps/move")]
pub async fn move_approval_step(id: String, step_id: String, direction: StepMove) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::console::approval_setup::move_step(&state, &admin, &id, &step_id, direction)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{DEFINITIONS}/{id}?notice=step_moved"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/list")]
pub async fn approval_groups() -> Result<Vec<GroupLine>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let groups = crate::backend::services::console::approval_setup::groups(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(groups
        .into_iter()
        .map(|g| GroupLine { scope: ssr::group_scope(&g), id: g.id, name: g.name, members: g.members, steps: g.steps })
        .collect())
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/one")]
pub async fn approval_group(id: String) -> Result<GroupView, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::approval_setup::{SCOPE_ALL, SCOPE_ORGANIZATION};
    use crate::domain::UserStatus;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let page = crate::backend::services::console::approval_setup::group(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let g = page.group;
    let members = page
        .members
        .into_iter()
        .map(|m| {
            let active = matches!(m.status, UserStatus::Active);
            MemberView {
                name: format!("{} {}", m.first_name, m.last_name),
                company: if m.is_merchant_admin {
                    "Merchant admin".to_owned()
                } else {
                    m.organization_name.unwrap_or_default()
                },
                may_decide: active && m.may_decide,
                active,
                user_id: m.user_id,
                username: m.username,
            }
        })
        .collect();
    Ok(GroupView {
        scope: ssr::group_scope(&g),
        form: GroupForm {
            name: g.name,
            scope: if g.organization_id.is_some() { SCOPE_ORGANIZATION } else { SCOPE_ALL }.to_owned(),
            organization: g.registry_id.unwrap_or_default(),
        },
        id: g.id,
        steps: g.steps,
        members,
    })
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/create", input = server_fn::codec::Json)]
pub async fn create_approval_group(#[server(flatten)] form: GroupForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let id = crate::backend::services::console::approval_setup::create_group(&state, &admin, &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{GROUPS}/{id}?notice=group_created"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/update", input = server_fn::codec::Json)]
pub async fn update_approval_group(id: String, #[server(flatten)] form: GroupForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let input = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::approval_setup::update_group(&state, &admin, &id, &input)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{GROUPS}/{id}?notice=group_saved"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/members/add", input = server_fn::codec::Json)]
pub async fn add_group_member(id: String, #[server(flatten)] form: MemberForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let username = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::approval_setup::add_member(&state, &admin, &id, &username)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{GROUPS}/{id}?notice=member_added"))
}

#[server(prefix = "/rpc", endpoint = "console/approval_groups/members/remove")]
pub async fn remove_group_member(id: String, user_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::console::approval_setup::remove_member(&state, &admin, &id, &user_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{GROUPS}/{id}?notice=member_removed"))
}
