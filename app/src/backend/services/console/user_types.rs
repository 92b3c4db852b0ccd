//! CON-1: the merchant's user types. A change takes effect on the next request: `/register`
//! reads the table every time (no cache to wait for).

use serde_json::json;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::state::AppState;
use crate::backend::store::audit::{self, AuditEntry};
use crate::backend::store::user_types::{self, Choice, UserType, UserTypeRecord};
use crate::domain::user_type_form::USER_TYPE_KEY_TAKEN;
use crate::domain::{FieldError, UserTypeDefinition};

/// One type as the editor shows it.
pub struct UserTypeDetail {
    pub user_type: UserType,
    pub sort_order: i64,
    pub role_ids: Vec<String>,
    pub enrollment_ids: Vec<String>,
}

/// What a type may refer to.
pub struct UserTypeChoices {
    pub definitions: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub enrollments: Vec<Choice>,
}

pub async fn list(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<UserType>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(user_types::all(&mut conn).await?)
}

pub async fn choices(state: &AppState, _admin: &MerchantAdmin) -> Result<UserTypeChoices, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (definitions, roles, enrollments) = user_types::choices(&mut conn).await?;
    Ok(UserTypeChoices { definitions, roles, enrollments })
}

pub async fn detail(state: &AppState, _admin: &MerchantAdmin, key: &str) -> Result<UserTypeDetail, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (user_type, sort_order) = user_types::find_for_edit(&mut conn, key).await?.ok_or(ServiceError::NotFound)?;
    let role_ids = user_types::role_ids(&mut conn, &user_type.id).await?;
    let enrollment_ids = user_types::enrollment_ids(&mut conn, &user_type.id).await?;
    Ok(UserTypeDetail { user_type, sort_order, role_ids, enrollment_ids })
}

/// Creates a type; answers its key.
pub async fn create(state: &AppState, admin: &MerchantAdmin, t: &UserTypeDefinition) -> Result<String, ServiceError> {
    save(state, admin, None, t).await
}

/// Saves the type now at `key` (its key may change); answers the key it has afterwards.
pub async fn update(
    state: &AppState,
    admin: &MerchantAdmin,
    key: &str,
    t: &UserTypeDefinition,
) -> Result<String, ServiceError> {
    save(state, admin, Some(key), t).await
}

async fn save(
    state: &AppState,
    admin: &MerchantAdmin,
    key: Option<&str>,
    t: &UserTypeDefinition,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (definitions, roles, enrollments) = user_types::choices(&mut tx).await?;
    refuse_unknown(t, &definitions, &roles, &enrollments)?;
    let record = UserTypeRecord {
        key: &t.key,
        group_key: t.group.as_deref(),
        kind: t.kind.into(),
        long_name: &t.long_name,
        short_name: &t.short_name,
        approval_definition_id: t.approval_definition_id.as_deref(),
        is_active: t.is_active,
        is_self_service: t.is_self_service,
        sort_order: t.sort_order,
    };
    let (id, before, action) = match key {
        None => {
            let id = user_types::insert(&mut tx, &record, now).await.map_err(key_taken)?;
            (id, None, "user_type.created")
        }
        Some(key) => {
            let (old, sort_order) = user_types::find_for_edit(&mut tx, key).await?.ok_or(ServiceError::NotFound)?;
            let before = snapshot(&UserTypeDefinition {
                key: old.key.clone(),
                group: old.group_key.clone(),
                kind: old.kind,
                long_name: old.long_name.clone(),
                short_name: old.short_name.clone(),
                approval_definition_id: old.approval_definition_id.clone(),
                role_ids: user_types::role_ids(&mut tx, &old.id).await?,
                enrollment_ids: user_types::enrollment_ids(&mut tx, &old.id).await?,
                is_active: old.is_active,
                is_self_service: old.is_self_service,
                sort_order,
            });
            user_types::update(&mut tx, &old.id, &record, now).await.map_err(key_taken)?;
            (old.id, Some(before), "user_type.updated")
        }
    };
    user_types::set_links(&mut tx, &id, &t.role_ids, &t.enrollment_ids).await?;
    let after = snapshot(t);
    let entry = AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type: "user_type",
        subject_id: &id,
        before: before.as_deref(),
        after: Some(&after),
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(t.key.clone())
}

/// A definition, role or enrollment that does not exist (a tampered form, or one deleted
/// meanwhile) is refused on its field.
fn refuse_unknown(
    t: &UserTypeDefinition,
    definitions: &[Choice],
    roles: &[Choice],
    enrollments: &[Choice],
) -> Result<(), ServiceError> {
    let known = |choices: &[Choice], id: &str| choices.iter().any(|c| c.id == id);
    let mut errors = Vec::new();
    if t.approval_definition_id.as_deref().is_some_and(|d| !known(definitions, d)) {
        errors.push(FieldError::new("approval_definition", "Choose one of the approval definitions"));
    }
    if t.role_ids.iter().any(|r| !known(roles, r)) {
        errors.push(FieldError::new("roles", "Choose only roles from the list"));
    }
    if t.enrollment_ids.iter().any(|e| !known(enrollments, e)) {
        errors.push(FieldError::new("enrollments", "Choose only enrollments from the list"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Validation(errors))
    }
}

fn key_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(Unique::UserTypeKey) => ServiceError::field("key", USER_TYPE_KEY_TAKEN),
        other => other.into(),
    }
}

fn snapshot(t: &UserTypeDefinition) -> String {
    let kind: &str = t.kind.into();
    json!({
        "key": t.key, "group": t.group, "kind": kind, "long_name": t.long_name, "short_name": t.short_name,
        "approval_definition_id": t.approval_definition_id, "active": t.is_active,
        "self_service": t.is_self_service, "sort_order": t.sort_order, "roles": t.role_ids,
        "enrollments": t.enrollment_ids,
    })
    .to_string()
}
