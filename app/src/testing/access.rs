//! Fixtures of a company's administration (ADM-4 … ADM-7): a contact's id, administrators
//! with exactly the permissions a test needs (through a custom role), sites, accounts, and
//! what a user holds now.

use super::databases::{exec, one, strings};
use super::fixtures::{colleague, Company, T0};
use crate::backend::authz::{caller, CompanyAdmin};
use crate::backend::error::ServiceError;
use crate::backend::new_id;
use crate::backend::state::AppState;
use crate::backend::store::{accounts, roles};
use crate::domain::Permission;

/// The contact of the login `user_id` (users.contact_id): the id the contact pages use.
pub async fn contact_of(state: &AppState, user_id: &str) -> String {
    one(state, "SELECT contact_id FROM users WHERE id = $1", &[user_id]).await
}

/// The `CompanyAdmin` capability of `user_id` for `permission`, as a server function makes it.
pub async fn company_admin(
    state: &AppState,
    user_id: &str,
    permission: Permission,
) -> Result<CompanyAdmin, ServiceError> {
    caller(state, user_id).await?.company_admin(permission)
}

/// A custom role `name` of `organization_id` with `permissions`, written directly (a setup,
/// not the use case under test); its id.
pub async fn custom_role_of(state: &AppState, organization_id: &str, name: &str, permissions: &[Permission]) -> String {
    let id = new_id();
    exec(
        state,
        "INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) \
         VALUES ($1, NULL, $2, NULL, $3, 0, 0)",
        &[&id, name, organization_id],
    )
    .await;
    for p in permissions {
        exec(state, "INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, $2)", &[&id, &p.to_string()])
            .await;
    }
    id
}

/// An approved staff member of `company` who also holds a custom role of exactly `permissions`
/// (besides the Business User role every staff member gets).
pub async fn limited_admin(state: &AppState, company: &Company, username: &str, permissions: &[Permission]) -> String {
    let role = custom_role_of(state, &company.org, &format!("{username} role"), permissions).await;
    let user = colleague(state, company, username, None).await;
    grant(state, &user, &role).await;
    user
}

/// Grants `role_id` to `user_id` directly (setup).
pub async fn grant(state: &AppState, user_id: &str, role_id: &str) {
    let mut conn = state.db.pool().acquire().await.expect("connection");
    roles::grant(&mut conn, user_id, role_id, None, T0).await.expect("grant");
}

/// An active specialty site `name` requiring `role` (if any); its id.
pub async fn site(state: &AppState, name: &str, required_role: Option<&str>) -> String {
    let id = new_id();
    exec(
        state,
        "INSERT INTO sites (id, key, name, required_role_id, is_active, created_at) VALUES ($1, $1, $2, NULLIF($3, ''), 1, 0)",
        &[&id, name, required_role.unwrap_or("")],
    )
    .await;
    id
}

/// A new active account `number` of `organization_id`; its id.
pub async fn company_account(state: &AppState, organization_id: &str, number: &str) -> String {
    let mut conn = state.db.pool().acquire().await.expect("connection");
    accounts::insert(&mut conn, accounts::Owner::Organization(organization_id), number, false, None, T0)
        .await
        .expect("account")
}

/// The ids of the roles `user_id` holds, sorted.
pub async fn roles_of(state: &AppState, user_id: &str) -> Vec<String> {
    strings(state, "SELECT role_id FROM user_roles WHERE user_id = $1 ORDER BY role_id", &[user_id]).await
}

/// The ids of the sites `user_id` may use, sorted.
pub async fn sites_of(state: &AppState, user_id: &str) -> Vec<String> {
    strings(state, "SELECT site_id FROM user_sites WHERE user_id = $1 ORDER BY site_id", &[user_id]).await
}

/// The account numbers assigned to `user_id`, each with `*` when primary, by number.
pub async fn accounts_of(state: &AppState, user_id: &str) -> Vec<String> {
    strings(
        state,
        "SELECT a.account_number || CASE WHEN aa.is_primary = 1 THEN '*' ELSE '' END \
         FROM account_assignments aa JOIN accounts a ON a.id = aa.account_id WHERE aa.user_id = $1 ORDER BY a.account_number",
        &[user_id],
    )
    .await
}

/// The audit actions of the administration pages (`user.…`, `role.…`) about `subject_id`, sorted.
pub async fn audit_actions(state: &AppState, subject_id: &str) -> Vec<String> {
    strings(
        state,
        "SELECT action FROM audit_log WHERE subject_id = $1 AND (action LIKE 'user.%' OR action LIKE 'role.%') ORDER BY action",
        &[subject_id],
    )
    .await
}

/// Whether the menu of `user_id`'s next request links to `href` (ADM-9).
pub async fn menu_links_to(state: &AppState, user_id: &str, href: &str) -> bool {
    let caller = caller(state, user_id).await.expect("caller");
    crate::backend::authz::menu(&caller).iter().any(|item| item.href == href)
}

/// Every permission of SPEC §7 (what the Primary User role holds).
pub fn every_permission() -> Vec<Permission> {
    use strum::IntoEnumIterator;
    Permission::iter().collect()
}
