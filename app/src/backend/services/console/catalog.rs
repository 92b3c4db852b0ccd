//! CON-2, roles and sites: the merchant's roles and their permissions, enrollments (APR-10) and
//! specialty sites with their required role (ADM-5). Each change is audited (CON-5).
//!
//! Seeded roles keep their key, name and description (SPEC names them); the merchant may change
//! their permissions, except that the Primary User roles keep `PRIMARY_USER_ESSENTIALS`.
//! Holders of a role see a change of its permissions on their next request.

use serde_json::{json, Value};
use sqlx::AnyConnection;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::{ServiceError, StoreError};
use crate::backend::state::AppState;
use crate::backend::store::approval_setup::{self as definitions, DefinitionSummary};
use crate::backend::store::audit;
use crate::backend::store::catalog::{
    self as store, EnrollmentFields, EnrollmentRecord, MerchantRoleRecord, SiteRecord,
};
use crate::domain::approval_setup::KEY_TAKEN;
use crate::domain::catalog::{
    essential_permissions, EnrollmentInput, MerchantRole, MerchantRoleForm, SiteInput, ROLE_NAME_TAKEN,
};
use crate::domain::FieldError;

async fn audit_entry(
    conn: &mut AnyConnection,
    admin: &MerchantAdmin,
    action: &str,
    subject: (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
    now: i64,
) -> Result<(), StoreError> {
    let (before, after) = (before.map(|v| v.to_string()), after.map(|v| v.to_string()));
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type: subject.0,
        subject_id: subject.1,
        before: before.as_deref(),
        after: after.as_deref(),
        justification: None,
    };
    audit::append(conn, &entry, now).await
}

// ---- Roles --------------------------------------------------------------------------------

pub async fn merchant_roles(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<MerchantRoleRecord>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::merchant_roles(&mut conn).await?)
}

pub async fn merchant_role(
    state: &AppState,
    _admin: &MerchantAdmin,
    id: &str,
) -> Result<MerchantRoleRecord, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    store::find_merchant_role(&mut conn, id).await?.ok_or(ServiceError::NotFound)
}

fn role_value(role: &MerchantRoleRecord) -> Value {
    json!({ "key": role.key, "name": role.name, "description": role.description, "permissions": role.permissions })
}

fn role_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(_) => ServiceError::field("name", ROLE_NAME_TAKEN),
        other => other.into(),
    }
}

/// A new merchant role (no organization); its id. A name another merchant role has is refused.
pub async fn create_merchant_role(
    state: &AppState,
    admin: &MerchantAdmin,
    role: &MerchantRole,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let id = store::insert_merchant_role(&mut tx, &role.name, role.description.as_deref(), &role.permissions, now)
        .await
        .map_err(role_taken)?;
    let after = json!({ "name": role.name, "description": role.description, "permissions": role.permissions });
    audit_entry(&mut tx, admin, "role.created", ("role", &id), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a merchant role: every field of one made in the console; only the permissions of a
/// seeded one, which keeps its essentials. The form is read here because which fields count
/// depends on the stored role.
pub async fn update_merchant_role(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    form: &MerchantRoleForm,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let existing = store::find_merchant_role(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if existing.is_seeded {
        let permissions = form
            .validate_permissions(essential_permissions(existing.key.as_deref()))
            .map_err(|e| ServiceError::Validation(vec![e]))?;
        store::update_merchant_role(&mut tx, id, None, &permissions).await?;
    } else {
        let role = form.validate().map_err(ServiceError::Validation)?;
        store::update_merchant_role(&mut tx, id, Some((&role.name, role.description.as_deref())), &role.permissions)
            .await
            .map_err(role_taken)?;
    }
    let after = store::find_merchant_role(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    audit_entry(
        &mut tx,
        admin,
        "role.updated",
        ("role", id),
        Some(role_value(&existing)),
        Some(role_value(&after)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---- Enrollments (APR-10) ----------------------------------------------------------------

/// The choices of the enrollment and site forms: live definitions and merchant roles.
#[derive(Debug, Clone)]
pub struct CatalogChoices {
    pub definitions: Vec<DefinitionSummary>,
    pub roles: Vec<MerchantRoleRecord>,
}

pub async fn choices(state: &AppState, _admin: &MerchantAdmin) -> Result<CatalogChoices, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(CatalogChoices {
        definitions: definitions::definitions(&mut conn).await?,
        roles: store::merchant_roles(&mut conn).await?,
    })
}

pub async fn enrollments(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<EnrollmentRecord>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::enrollments(&mut conn).await?)
}

pub async fn enrollment(state: &AppState, _admin: &MerchantAdmin, id: &str) -> Result<EnrollmentRecord, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    store::find_enrollment(&mut conn, id).await?.ok_or(ServiceError::NotFound)
}

fn enrollment_value(e: &EnrollmentRecord) -> Value {
    json!({
        "key": e.key,
        "name": e.name,
        "description": e.description,
        "approval_definition_id": e.approval_definition_id,
        "roles": e.roles.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "active": e.active,
    })
}

/// The definition (live) and roles (the merchant's) an enrollment or site may name.
async fn check_references(
    conn: &mut AnyConnection,
    definition: Option<&str>,
    roles: &[String],
    roles_field: &str,
) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    if let Some(id) = definition {
        if definitions::find_live(conn, id).await?.is_none() {
            errors.push(FieldError::new("approval_definition_id", "Choose an approval definition from the list"));
        }
    }
    if !store::all_merchant_roles(conn, roles).await? {
        errors.push(FieldError::new(roles_field, "Choose only roles from the list"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Validation(errors))
    }
}

fn key_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(_) => ServiceError::field("key", KEY_TAKEN),
        other => other.into(),
    }
}

/// Creates (`id` None, the input has a key) or updates an enrollment; its id.
pub async fn save_enrollment(
    state: &AppState,
    admin: &MerchantAdmin,
    id: Option<&str>,
    input: &EnrollmentInput,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    check_references(&mut tx, input.approval_definition_id.as_deref(), &input.role_ids, "roles").await?;
    let fields = EnrollmentFields {
        name: &input.name,
        description: input.description.as_deref(),
        approval_definition_id: input.approval_definition_id.as_deref(),
        active: input.active,
        role_ids: &input.role_ids,
    };
    let (id, before, action) = match (id, &input.key) {
        (Some(id), _) => {
            let before = store::find_enrollment(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
            store::update_enrollment(&mut tx, id, &fields).await?;
            (id.to_owned(), Some(enrollment_value(&before)), "enrollment.updated")
        }
        (None, Some(key)) => {
            if store::enrollment_key_in_use(&mut tx, key).await? {
                return Err(ServiceError::field("key", KEY_TAKEN));
            }
            (store::insert_enrollment(&mut tx, key, &fields, now).await.map_err(key_taken)?, None, "enrollment.created")
        }
        (None, None) => return Err(ServiceError::field("key", "Enter a key")),
    };
    let after = store::find_enrollment(&mut tx, &id).await?.ok_or(ServiceError::NotFound)?;
    audit_entry(&mut tx, admin, action, ("enrollment", &id), before, Some(enrollment_value(&after)), now).await?;
    tx.commit().await?;
    Ok(id)
}

// ---- Specialty sites (ADM-5) -------------------------------------------------------------

pub async fn sites(state: &AppState, _admin: &MerchantAdmin) -> Result<Vec<SiteRecord>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::sites(&mut conn).await?)
}

pub async fn site(state: &AppState, _admin: &MerchantAdmin, id: &str) -> Result<SiteRecord, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    store::find_site(&mut conn, id).await?.ok_or(ServiceError::NotFound)
}

fn site_value(s: &SiteRecord) -> Value {
    json!({ "key": s.key, "name": s.name, "required_role_id": s.required_role_id, "active": s.is_active != 0 })
}

/// Creates (`id` None) or updates a site; its id. A new required role applies to users granted
/// it from then on (ADM-5: a user's initial sites); nobody loses or gains a site by the change.
pub async fn save_site(
    state: &AppState,
    admin: &MerchantAdmin,
    id: Option<&str>,
    input: &SiteInput,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let role: Vec<String> = input.required_role_id.iter().cloned().collect();
    check_references(&mut tx, None, &role, "required_role_id").await?;
    let role = input.required_role_id.as_deref();
    let (id, before, action) = match (id, &input.key) {
        (Some(id), _) => {
            let before = store::find_site(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
            store::update_site(&mut tx, id, &input.name, role, input.active).await?;
            (id.to_owned(), Some(site_value(&before)), "site.updated")
        }
        (None, Some(key)) => {
            if store::site_key_in_use(&mut tx, key).await? {
                return Err(ServiceError::field("key", KEY_TAKEN));
            }
            let id = store::insert_site(&mut tx, key, &input.name, role, input.active, now).await.map_err(key_taken)?;
            (id, None, "site.created")
        }
        (None, None) => return Err(ServiceError::field("key", "Enter a key")),
    };
    let after = store::find_site(&mut tx, &id).await?.ok_or(ServiceError::NotFound)?;
    audit_entry(&mut tx, admin, action, ("site", &id), before, Some(site_value(&after)), now).await?;
    tx.commit().await?;
    Ok(id)
}
