//! CON-2, the approval set-up: approval definitions and their ordered steps (APR-1, APR-2),
//! approval groups and their members (APR-3). Every change is audited (CON-5) in its own
//! transaction.
//!
//! Waiting requests (APR-2): a request is decided by the steps of the definition as it was when
//! the request was submitted. A change of steps first moves the requests waiting under the
//! definition to an archived copy of its current steps (`keep_waiting_requests`), so an edit
//! affects only requests submitted afterwards and no request ever points at a removed step or
//! past its last one. Renaming changes nothing for them.

use serde_json::{json, Value};
use sqlx::AnyConnection;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::{ServiceError, StoreError};
use crate::backend::state::AppState;
use crate::backend::store::approval_setup::{
    self as store, Definition, DefinitionSummary, GroupRecord, MemberRecord, StepRecord,
};
use crate::backend::store::{audit, organizations, roles, users};
use crate::domain::approval_setup::{
    GroupInput, GroupScope, NewDefinition, OrganizationRef, StepApprover, StepMove, GROUP_NAME_TAKEN, KEY_TAKEN,
    MAX_STEPS,
};
use crate::domain::{Access, ApproverKind, FieldError, Permission, RecordStatus, UserStatus, Username};

/// The message of a change that would leave a definition in use without steps.
pub const STEP_NEEDED: &str = "A definition in use needs at least one step. Choose another definition (or no approval) for its user types and enrollments first";

pub async fn definitions(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<DefinitionSummary>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::definitions(&mut conn).await?)
}

/// One definition as its page shows it.
#[derive(Debug, Clone)]
pub struct DefinitionPage {
    pub definition: Definition,
    pub steps: Vec<StepRecord>,
    /// Requests moved to archived versions by earlier edits, still waiting.
    pub waiting_under_earlier_versions: i64,
    /// ("User type" | "Enrollment", name).
    pub used_by: Vec<(String, String)>,
    /// The groups a new step may name.
    pub groups: Vec<GroupRecord>,
}

pub async fn definition(state: &AppState, _admin: &MerchantAdmin, id: &str) -> Result<DefinitionPage, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let definition = store::find_live(&mut conn, id).await?.ok_or(ServiceError::NotFound)?;
    Ok(DefinitionPage {
        steps: store::steps(&mut conn, id).await?,
        waiting_under_earlier_versions: store::waiting_under_earlier_versions(&mut conn, id).await?,
        used_by: store::used_by(&mut conn, id).await?,
        groups: store::groups(&mut conn).await?,
        definition,
    })
}

async fn audit_entry(
    conn: &mut AnyConnection,
    admin: &MerchantAdmin,
    action: &str,
    (subject_type, subject_id): (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
    now: i64,
) -> Result<(), StoreError> {
    let (before, after) = (before.map(|v| v.to_string()), after.map(|v| v.to_string()));
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type,
        subject_id,
        before: before.as_deref(),
        after: after.as_deref(),
        justification: None,
    };
    audit::append(conn, &entry, now).await
}

/// A new definition without steps (added on its page); its id. A key in use is refused.
pub async fn create_definition(
    state: &AppState,
    admin: &MerchantAdmin,
    new: &NewDefinition,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if store::key_in_use(&mut tx, &new.key).await? {
        return Err(ServiceError::field("key", KEY_TAKEN));
    }
    let id = store::insert_definition(&mut tx, &new.key, &new.name, now).await.map_err(|e| match e {
        StoreError::Duplicate(_) => ServiceError::field("key", KEY_TAKEN),
        other => other.into(),
    })?;
    let after = json!({ "key": new.key, "name": new.name, "steps": [] });
    audit_entry(&mut tx, admin, "approval_definition.created", ("approval_definition", &id), None, Some(after), now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_definition(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    name: &str,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !store::lock_definition(&mut tx, id).await? {
        return Err(ServiceError::NotFound);
    }
    let definition = store::find_live(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    store::rename(&mut tx, id, name).await?;
    let (before, after) = (json!({ "name": definition.name }), json!({ "name": name }));
    audit_entry(
        &mut tx,
        admin,
        "approval_definition.renamed",
        ("approval_definition", id),
        Some(before),
        Some(after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The steps as the audit log records them: who decides, by id and by name.
fn described(steps: &[StepRecord]) -> Value {
    Value::Array(
        steps
            .iter()
            .map(|s| {
                let mut step = json!({ "position": s.position, "approver": <&'static str>::from(s.kind) });
                match s.kind {
                    ApproverKind::User => {
                        step["user_id"] = json!(s.user_id);
                        step["username"] = json!(s.username);
                    }
                    ApproverKind::Group => {
                        step["group_id"] = json!(s.group_id);
                        step["group"] = json!(s.group_name);
                    }
                    ApproverKind::PrimaryUsers | ApproverKind::Universal => {}
                }
                step
            })
            .collect(),
    )
}

/// The locked live definition and its steps, for a change of steps.
async fn locked(conn: &mut AnyConnection, id: &str) -> Result<(Definition, Vec<StepRecord>), ServiceError> {
    if !store::lock_definition(conn, id).await? {
        return Err(ServiceError::NotFound);
    }
    let definition = store::find_live(conn, id).await?.ok_or(ServiceError::NotFound)?;
    let steps = store::steps(conn, id).await?;
    Ok((definition, steps))
}

/// The audit row of a change of steps: before, after, and how many waiting requests kept the
/// steps they were submitted with.
async fn audit_steps(
    conn: &mut AnyConnection,
    admin: &MerchantAdmin,
    definition: &Definition,
    before: &[StepRecord],
    kept: u64,
    now: i64,
) -> Result<(), ServiceError> {
    let after = store::steps(conn, &definition.id).await?;
    let after = json!({ "steps": described(&after), "waiting_requests_kept_their_steps": kept });
    let before = json!({ "steps": described(before) });
    audit_entry(
        conn,
        admin,
        "approval_definition.steps_changed",
        ("approval_definition", &definition.id),
        Some(before),
        Some(after),
        now,
    )
    .await?;
    Ok(())
}

/// Who a named-user step names: an active user who can open Pending Approvals and decide (a
/// merchant admin, or a holder of PENDING_APPROVALS in force), APR-2.
async fn step_user(conn: &mut AnyConnection, username: &Username, now: i64) -> Result<String, ServiceError> {
    let no_one = || ServiceError::field("username", "There is no user with this username");
    let user = users::find_by_username(conn, &username.lower()).await?.ok_or_else(no_one)?;
    let account = users::find_account(conn, &user.id).await?.ok_or_else(no_one)?;
    match account.access.access_at(now) {
        Access::Usable => {}
        Access::AwaitingApproval | Access::NotActive | Access::Gone => {
            return Err(ServiceError::field("username", "This user is not active"));
        }
    }
    let decides = account.is_merchant_admin
        || roles::permission_set(conn, &user.id, now).await?.holds(Permission::PendingApprovals);
    if !decides {
        return Err(ServiceError::field(
            "username",
            "This user cannot decide requests: choose a merchant admin or a user holding Pending approvals",
        ));
    }
    Ok(user.id)
}

/// Adds a step after the last one (APR-2).
pub async fn add_step(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    approver: &StepApprover,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (definition, before) = locked(&mut tx, id).await?;
    if before.len() >= MAX_STEPS {
        return Err(ServiceError::field("approver_kind", format!("A definition has at most {MAX_STEPS} steps")));
    }
    let (kind, user, group) = match approver {
        StepApprover::PrimaryUsers => (ApproverKind::PrimaryUsers, None, None),
        StepApprover::Universal => (ApproverKind::Universal, None, None),
        StepApprover::User(username) => (ApproverKind::User, Some(step_user(&mut tx, username, now).await?), None),
        StepApprover::Group(group_id) => {
            let group = store::find_group(&mut tx, group_id)
                .await?
                .ok_or_else(|| ServiceError::field("group_id", "Choose an approval group from the list"))?;
            (ApproverKind::Group, None, Some(group.id))
        }
    };
    let kept = store::keep_waiting_requests(&mut tx, &definition, now).await?;
    store::append_step(&mut tx, id, kind, user.as_deref(), group.as_deref()).await?;
    audit_steps(&mut tx, admin, &definition, &before, kept, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a step; the later ones move up (positions stay 1..n). A definition that a user
/// type or enrollment names keeps at least one step.
pub async fn remove_step(state: &AppState, admin: &MerchantAdmin, id: &str, step_id: &str) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (definition, before) = locked(&mut tx, id).await?;
    if !before.iter().any(|s| s.id == step_id) {
        return Err(ServiceError::NotFound);
    }
    if before.len() == 1 && !store::used_by(&mut tx, id).await?.is_empty() {
        return Err(ServiceError::field("steps", STEP_NEEDED));
    }
    let kept = store::keep_waiting_requests(&mut tx, &definition, now).await?;
    store::remove_step(&mut tx, id, step_id).await?;
    audit_steps(&mut tx, admin, &definition, &before, kept, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Swaps a step with its neighbour; the first step up or the last down changes nothing.
pub async fn move_step(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    step_id: &str,
    direction: StepMove,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (definition, before) = locked(&mut tx, id).await?;
    let position = before.iter().find(|s| s.id == step_id).map(|s| s.position).ok_or(ServiceError::NotFound)?;
    let target = match direction {
        StepMove::Up => position - 1,
        StepMove::Down => position + 1,
    };
    if target < 1 || target > before.len() as i64 {
        return Ok(());
    }
    let kept = store::keep_waiting_requests(&mut tx, &definition, now).await?;
    store::swap_steps(&mut tx, id, position, target).await?;
    audit_steps(&mut tx, admin, &definition, &before, kept, now).await?;
    tx.commit().await?;
    Ok(())
}

// ---- Approval groups (APR-3) ------------------------------------------------------------

pub async fn groups(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<GroupRecord>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::groups(&mut conn).await?)
}

#[derive(Debug, Clone)]
pub struct GroupPage {
    pub group: GroupRecord,
    pub members: Vec<MemberRecord>,
}

pub async fn group(state: &AppState, _admin: &MerchantAdmin, id: &str) -> Result<GroupPage, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let group = store::find_group(&mut conn, id).await?.ok_or(ServiceError::NotFound)?;
    let members = store::members(&mut conn, id, state.now_ms()).await?;
    Ok(GroupPage { group, members })
}

/// The organization a group is limited to: (id, name), or `None` for all organizations. Only
/// an active organization; a name two of them share must be given as a Registry ID.
async fn scope_of(conn: &mut AnyConnection, scope: &GroupScope) -> Result<Option<(String, String)>, ServiceError> {
    let refuse = |m: &str| ServiceError::field("organization", m);
    match scope {
        GroupScope::AllOrganizations => Ok(None),
        GroupScope::Organization(OrganizationRef::RegistryId(registry_id)) => {
            match organizations::find_by_registry_id(conn, registry_id.as_str()).await? {
                Some(o) if o.status == RecordStatus::Active => Ok(Some((o.id, o.name))),
                Some(_) | None => Err(refuse("There is no active organization with this Registry ID")),
            }
        }
        GroupScope::Organization(OrganizationRef::Name(name)) => {
            let found = store::active_organizations_named(conn, name).await?;
            match found.as_slice() {
                [] => Err(refuse("There is no active organization with this name")),
                [(id, name, _)] => Ok(Some((id.clone(), name.clone()))),
                _ => Err(refuse("Several organizations have this name: enter its Registry ID")),
            }
        }
    }
}

fn group_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(_) => ServiceError::field("name", GROUP_NAME_TAKEN),
        other => other.into(),
    }
}

fn group_value(name: &str, organization: Option<(&str, &str)>) -> Value {
    json!({
        "name": name,
        "organization": organization.map(|(id, name)| json!({ "id": id, "name": name })),
    })
}

pub async fn create_group(state: &AppState, admin: &MerchantAdmin, input: &GroupInput) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let organization = scope_of(&mut tx, &input.scope).await?;
    let id = store::insert_group(&mut tx, &input.name, organization.as_ref().map(|(id, _)| id.as_str()), now)
        .await
        .map_err(group_taken)?;
    let after = group_value(&input.name, organization.as_ref().map(|(i, n)| (i.as_str(), n.as_str())));
    audit_entry(&mut tx, admin, "approval_group.created", ("approval_group", &id), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames or rescopes the group. It is narrowed to one organization only when every member
/// is a user of it or a merchant admin.
pub async fn update_group(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    input: &GroupInput,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !store::lock_group(&mut tx, id).await? {
        return Err(ServiceError::NotFound);
    }
    let existing = store::find_group(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let organization = scope_of(&mut tx, &input.scope).await?;
    if let Some((org, name)) = &organization {
        if store::members_outside(&mut tx, id, org).await? > 0 {
            return Err(ServiceError::field(
                "organization",
                format!("Some members are not users of {name}. Remove them first"),
            ));
        }
    }
    store::update_group(&mut tx, id, &input.name, organization.as_ref().map(|(id, _)| id.as_str()))
        .await
        .map_err(group_taken)?;
    let before =
        group_value(&existing.name, existing.organization_id.as_deref().zip(existing.organization_name.as_deref()));
    let after = group_value(&input.name, organization.as_ref().map(|(i, n)| (i.as_str(), n.as_str())));
    audit_entry(&mut tx, admin, "approval_group.updated", ("approval_group", id), Some(before), Some(after), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// APR-3: a member is an active merchant admin, or an active user of a company — of the
/// group's organization when the group has one.
pub async fn add_member(
    state: &AppState,
    admin: &MerchantAdmin,
    group_id: &str,
    username: &Username,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !store::lock_group(&mut tx, group_id).await? {
        return Err(ServiceError::NotFound);
    }
    let group = store::find_group(&mut tx, group_id).await?.ok_or(ServiceError::NotFound)?;
    let refuse = |m: String| ServiceError::Validation(vec![FieldError::new("username", m)]);
    let user = users::find_by_username(&mut tx, &username.lower())
        .await?
        .ok_or_else(|| refuse("There is no user with this username".into()))?;
    let account = users::find_account(&mut tx, &user.id)
        .await?
        .ok_or_else(|| refuse("There is no user with this username".into()))?;
    match user.status {
        UserStatus::Active => {}
        UserStatus::Pending | UserStatus::Inactive | UserStatus::Rejected | UserStatus::Deleted => {
            return Err(refuse("This user is not active".into()));
        }
    }
    if !account.is_merchant_admin {
        match (&account.organization_id, &group.organization_id) {
            (None, _) => return Err(refuse("Only users of a company and merchant admins can be members".into())),
            (Some(theirs), Some(scope)) if theirs != scope => {
                let name = group.organization_name.clone().unwrap_or_default();
                return Err(refuse(format!("This user is not a user of {name}")));
            }
            (Some(_), _) => {}
        }
    }
    if !store::add_member(&mut tx, group_id, &user.id).await? {
        return Err(refuse("This user is already a member".into()));
    }
    let after = json!({ "user_id": user.id, "username": user.username });
    audit_entry(&mut tx, admin, "approval_group.member_added", ("approval_group", group_id), None, Some(after), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_member(
    state: &AppState,
    admin: &MerchantAdmin,
    group_id: &str,
    user_id: &str,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !store::lock_group(&mut tx, group_id).await? {
        return Err(ServiceError::NotFound);
    }
    let member = store::members(&mut tx, group_id, now).await?.into_iter().find(|m| m.user_id == user_id);
    let Some(member) = member else { return Err(ServiceError::NotFound) };
    store::remove_member(&mut tx, group_id, user_id).await?;
    let before = json!({ "user_id": member.user_id, "username": member.username });
    audit_entry(&mut tx, admin, "approval_group.member_removed", ("approval_group", group_id), Some(before), None, now)
        .await?;
    tx.commit().await?;
    Ok(())
}
