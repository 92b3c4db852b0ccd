//! The people, companies and approval set-ups the tests share. Every fixture registers through
//! [`register_as`], the one place that calls the registration use case, so a change of its
//! signature is made here once.

use super::adapters::{register, Fields};
use super::databases::{exec, one, strings};
use crate::backend::authz::{company_approver, Approver};
use crate::backend::error::ServiceError;
use crate::backend::services::approvals::{approve, pending};
use crate::backend::services::bootstrap;
use crate::backend::services::registration::Registered;
use crate::backend::state::AppState;
use crate::backend::store::roles;
use crate::backend::{new_id, settings};
use crate::domain::{ApproverKind, Language};

/// The tests' "now": 2027-01-15T08:00:00Z.
pub const T0: i64 = 1_800_000_000_000;
/// Seeded roles (migrations/*/0002_reference_data.sql).
pub const BUSINESS_USER_ROLE: &str = "00000000-0000-7000-8000-000000000101";
pub const PRIMARY_USER_ROLE: &str = "00000000-0000-7000-8000-000000000102";
/// The seeded one-step definition: the company's primary users (APR-2).
pub const DEFAULT_DEFINITION: &str = "00000000-0000-7000-8000-000000000201";
/// The password `bootstrap::ensure_merchant_admin` is given in tests.
pub const ADMIN_PASSWORD: &str = "Lantern-harbor-for-tests-1";

/// A password that every default policy accepts for [`individual_fields`].
pub const GOOD_PASSWORD: &str = "copper kettle harbor 7";

/// A complete individual registration form (REG-5) for Ann Lee with `username`.
pub fn individual_fields(username: &str) -> Fields {
    [
        ("first_name", "Ann"),
        ("last_name", "Lee"),
        ("email", "ann.lee@example.com"),
        ("phone", ""),
        ("username", username),
        ("password", GOOD_PASSWORD),
        ("password_confirm", GOOD_PASSWORD),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// An individual form for `first_name` Lee with `username`, e-mail `<username>@example.com`.
pub fn person(username: &str, first_name: &str) -> Fields {
    let mut fields = individual_fields(username);
    fields.insert("first_name".into(), first_name.into());
    fields.insert("email".into(), format!("{}@example.com", username.to_lowercase()));
    fields
}

/// A new company's form (REG-6) with Pat as its first user `username`.
pub fn company_fields(name: &str, username: &str) -> Fields {
    let mut fields = person(username, "Pat");
    for (k, v) in [
        ("company_name", name),
        ("address_line1", "1 Main St"),
        ("city", "Springfield"),
        ("postal_code", "12345"),
        ("country", "US"),
    ] {
        fields.insert(k.into(), v.into());
    }
    fields
}

/// Registers as the user type `type_key`, in English: the single call of the use case.
pub async fn register_as(state: &AppState, type_key: &str, fields: &Fields) -> Result<Registered, ServiceError> {
    register(state, type_key, fields, Language::English).await
}

/// A company registered through `company_primary`: its first (primary) user and organization.
#[derive(Debug, Clone)]
pub struct Company {
    pub primary: String,
    pub org: String,
    pub registry_id: String,
}

async fn company_of(state: &AppState, registered: Registered) -> Company {
    let org = one(state, "SELECT organization_id FROM users WHERE id = $1", &[&registered.user_id]).await;
    Company { primary: registered.user_id, org, registry_id: registered.registry_id.expect("a Registry ID") }
}

/// A company whose primary user is active at once (the seeded `company_primary` needs no approval).
pub async fn company(state: &AppState, name: &str, username: &str) -> Company {
    let registered =
        register_as(state, "company_primary", &company_fields(name, username)).await.expect("company registration");
    company_of(state, registered).await
}

/// A company registered while `company_primary` needs approval: the company and its request.
pub async fn pending_company(state: &AppState, name: &str, username: &str) -> (Company, String) {
    let registered =
        register_as(state, "company_primary", &company_fields(name, username)).await.expect("company registration");
    assert!(registered.needs_approval, "company_primary is routed to an approver");
    let company = company_of(state, registered).await;
    let request = request_of(state, &company.primary).await;
    (company, request)
}

/// The (one) request of `user`.
pub async fn request_of(state: &AppState, user: &str) -> String {
    one(state, "SELECT id FROM requests WHERE user_id = $1", &[user]).await
}

/// A staff member's registration (REG-7) awaiting approval: (user id, request id).
pub async fn staff(state: &AppState, company: &Company, username: &str) -> (String, String) {
    let mut fields = person(username, "Ann");
    fields.insert("registry_id".into(), company.registry_id.clone());
    let registered = register_as(state, "company_business", &fields).await.expect("staff registration");
    assert!(registered.needs_approval, "a staff registration waits for approval");
    let request = request_of(state, &registered.user_id).await;
    (registered.user_id, request)
}

/// The approver capability of a company user who must have one.
pub async fn approver(state: &AppState, user_id: &str) -> Approver {
    company_approver(state, user_id).await.unwrap_or_else(|e| panic!("{user_id} should be an approver: {e:?}"))
}

/// An approved staff member of `company` (approved by its primary user), optionally holding `role`.
pub async fn colleague(state: &AppState, company: &Company, username: &str, role: Option<&str>) -> String {
    let (user, request) = staff(state, company, username).await;
    approve(state, &approver(state, &company.primary).await, &request, "", &[]).await.expect("approve colleague");
    if let Some(role) = role {
        let mut conn = state.db.pool().acquire().await.expect("connection");
        roles::grant(&mut conn, &user, role, None, T0).await.expect("grant");
    }
    user
}

/// A second primary user of `company`: approved as staff, then given the Primary User role.
pub async fn second_primary_user(state: &AppState, company: &Company, username: &str) -> String {
    colleague(state, company, username, Some(PRIMARY_USER_ROLE)).await
}

/// A new approval definition with `steps` (approver kind, named user, group) in order.
pub async fn definition(state: &AppState, steps: &[(ApproverKind, Option<&str>, Option<&str>)]) -> String {
    let id = new_id();
    exec(
        state,
        "INSERT INTO approval_definitions (id, key, name, created_at) VALUES ($1, $1, 'Test definition', 0)",
        &[&id],
    )
    .await;
    for (i, (kind, user, group)) in steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO approval_steps (id, definition_id, position, approver_kind, approver_user_id, approval_group_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(i as i64 + 1)
        .bind(kind.to_string())
        .bind(*user)
        .bind(*group)
        .execute(state.db.pool())
        .await
        .expect("approval step");
    }
    id
}

/// Routes registrations as `type_key` to `definition_id` (APR-1).
pub async fn route_user_type(state: &AppState, type_key: &str, definition_id: &str) {
    exec(state, "UPDATE user_types SET approval_definition_id = $1 WHERE key = $2", &[definition_id, type_key]).await;
}

/// Routes `type_key` to a one-step definition decided by the universal approver (APR-2).
pub async fn needs_universal_approval(state: &AppState, type_key: &str) {
    let id = definition(state, &[(ApproverKind::Universal, None, None)]).await;
    route_user_type(state, type_key, &id).await;
}

/// The merchant admin `admin` as bootstrapped (OPS-5), still to change the first password.
pub async fn merchant_admin(state: &AppState) -> String {
    bootstrap::ensure_merchant_admin(state, Some(ADMIN_PASSWORD)).await.expect("admin");
    one(state, "SELECT id FROM users WHERE lower_username = 'admin' AND is_merchant_admin = 1", &[]).await
}

/// The merchant admin after the forced password change (LOG-3): the default universal approver.
pub async fn ready_merchant_admin(state: &AppState) -> String {
    let admin = merchant_admin(state).await;
    exec(state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
    admin
}

/// The bootstrapped merchant admin as the universal approver (APR-2), via `/admin/approvals`.
pub async fn universal_approver(state: &AppState) -> Approver {
    let admin = ready_merchant_admin(state).await;
    approver(state, &admin).await
}

/// The ids of the first 100 requests of `approver`'s queue (APR-4).
pub async fn queue(state: &AppState, approver: &Approver) -> Vec<String> {
    pending(state, approver, 0, 100).await.expect("queue").into_iter().map(|r| r.id).collect()
}

/// The `status` of the row `id` of `table` (a table name from the test itself).
pub async fn status_of(state: &AppState, table: &str, id: &str) -> String {
    one(state, &format!("SELECT status FROM {table} WHERE id = $1"), &[id]).await
}

/// The recipients of every queued e-mail of `template`, sorted.
pub async fn mails(state: &AppState, template: &str) -> Vec<String> {
    strings(state, "SELECT recipient FROM outbox WHERE template = $1 ORDER BY recipient", &[template]).await
}

pub async fn set_setting(state: &AppState, key: &str, value: &str) {
    let mut conn = state.db.pool().acquire().await.expect("connection");
    settings::set(&mut conn, key, value, T0).await.expect("setting");
}

/// An active enrollment `key` granting a new role (returned), decided by `definition` if any
/// (APR-10).
pub async fn enrollment(state: &AppState, key: &str, definition: Option<&str>) -> String {
    let (enrollment, role) = (new_id(), new_id());
    exec(
        state,
        "INSERT INTO roles (id, key, name, is_seeded, created_at) VALUES ($1, $2, 'Trade pricing', 0, 0)",
        &[&role, &format!("{key}_role")],
    )
    .await;
    exec(
        state,
        "INSERT INTO enrollments (id, key, name, approval_definition_id, is_active, created_at) \
         VALUES ($1, $2, 'Trade pricing', NULLIF($3, ''), 1, 0)",
        &[&enrollment, key, definition.unwrap_or("")],
    )
    .await;
    exec(state, "INSERT INTO enrollment_roles (enrollment_id, role_id) VALUES ($1, $2)", &[&enrollment, &role]).await;
    role
}

/// `fields` with `changes` applied.
pub fn with(mut fields: Fields, changes: &[(&str, &str)]) -> Fields {
    for (k, v) in changes {
        fields.insert((*k).to_owned(), (*v).to_owned());
    }
    fields
}

/// The field errors of a failed registration as (field, message).
///
/// # Panics
/// When the registration did not fail with field errors.
pub fn field_errors(result: Result<Registered, ServiceError>, label: &str) -> Vec<(String, String)> {
    match result {
        Err(ServiceError::Validation(errors)) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("[{label}] expected field errors, got {other:?}"),
    }
}

/// The message of `field` among (field, message) errors.
pub fn message_for(errors: &[(String, String)], field: &str) -> Option<String> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
}

/// Tables a registration writes to; a failed one must leave every count as it was (REG-14).
pub const REGISTRATION_TABLES: &[&str] = &[
    "persons",
    "email_addresses",
    "phones",
    "users",
    "contacts",
    "accounts",
    "account_assignments",
    "contact_preferences",
    "contact_preference_history",
    "requests",
    "outbox",
    "audit_log",
];

/// Row counts of [`REGISTRATION_TABLES`].
pub async fn registration_counts(state: &AppState) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in REGISTRATION_TABLES {
        counts.push((*table, super::count_rows(&state.db, table).await));
    }
    counts
}
