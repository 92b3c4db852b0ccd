//! CON-3 `/console/users…`: the list, a user's page and its actions, and Create user. Each
//! server function makes its `MerchantAdmin` capability itself (SEC-5) and calls one use case
//! of `services::console::users` / `user_access`, which the JSON API shares.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::api::types::SecretAnswer;
use crate::domain::console_user::{BareUserForm, DisableForm, JustificationForm, ResetPasswordForm, RoleGrantForm};

pub const USERS: &str = "/console/users";
pub const NEW_USER: &str = "/console/users/new";

pub fn user_href(id: &str) -> String {
    format!("{USERS}/{id}")
}

/// The list's status filter values, as the select posts them, with their labels.
pub const STATUS_FILTERS: &[(&str, &str)] = &[
    ("", "All"),
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("pending", "Pending approval"),
    ("rejected", "Rejected"),
    ("deleted", "Deleted"),
];

/// What a user's status reads as.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "active" => "Active",
        "inactive" => "Inactive",
        "pending" => "Pending approval",
        "rejected" => "Rejected",
        "deleted" => "Deleted",
        _ => "Unknown",
    }
}

/// One row of the list, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLine {
    pub id: String,
    pub name: String,
    pub username: String,
    pub email: String,
    pub user_type: String,
    pub company: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListPage {
    pub rows: Vec<UserLine>,
    /// The opaque cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
}

/// The list: users whose username, first or last name or an e-mail address starts with `q`.
#[server(prefix = "/rpc", endpoint = "console/users/list")]
pub async fn console_users(q: String, status: String, cursor: String) -> Result<UserListPage, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::users::search_users;
    use crate::backend::store::user_search::{SearchKey, UserQuery};
    use crate::domain::admin_contact::Day;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let after = match cursor.as_str() {
        "" => None,
        raw => Some(SearchKey::decode(raw).ok_or(AppError::NotFound)?),
    };
    let query = UserQuery { prefix: Some(q), status: status.parse().ok(), after };
    let page = search_users(&state, &admin, query).await.map_err(|e| to_app_error(e, reference()))?;
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let mut status = status_label(&r.status.to_string()).to_owned();
            if let Some(at) = r.disable_at {
                status = format!("{status}, disabled from {}", Day::of_ms(at).iso());
            }
            UserLine {
                name: format!("{} {}", r.first_name, r.last_name),
                user_type: r.user_type.unwrap_or_else(|| {
                    if r.is_merchant_admin {
                        "Merchant admin".into()
                    } else {
                        String::new()
                    }
                }),
                company: r.company.unwrap_or_default(),
                email: r.email.unwrap_or_default(),
                id: r.id,
                username: r.username,
                status,
            }
        })
        .collect();
    Ok(UserListPage { rows, next_cursor: page.next.map(|k| k.encode()) })
}

/// A Disable waiting for its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledDisable {
    pub on: String,
    pub justification: String,
    pub requested_by: String,
}

/// One role grant of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLine {
    pub role_id: String,
    pub name: String,
    pub start: String,
    pub end: String,
    pub justification: String,
    pub granted_by: String,
    /// Counts now: inside its dates.
    pub in_force: bool,
}

/// Everything `/console/users/{id}` shows, and which actions it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: String,
    pub name: String,
    pub username: String,
    /// (address, primary).
    pub emails: Vec<(String, bool)>,
    pub user_type: String,
    pub organization: String,
    /// `active`, `inactive`, … (see [`status_label`]).
    pub status: String,
    pub person_active: bool,
    pub start: String,
    pub end: String,
    pub last_sign_in: String,
    pub password: String,
    pub scheduled_disable: Option<ScheduledDisable>,
    pub roles: Vec<RoleLine>,
    pub can_disable: bool,
    pub can_enable: bool,
    pub can_delete: bool,
    pub can_reset: bool,
    pub can_grant: bool,
    pub is_self: bool,
    /// Today (UTC), the default Effective date.
    pub today: String,
    /// The roles the Grant form offers: (id, name).
    pub grantable: Vec<(String, String)>,
}

#[server(prefix = "/rpc", endpoint = "console/users/one")]
pub async fn console_user(id: String) -> Result<UserDetail, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let view = crate::backend::services::console::users::user_view(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let grantable = crate::backend::services::console::user_access::grantable_roles(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ssr::detail(view, grantable, state.now_ms()))
}

/// The notices of a user's page.
pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "created" => Some("The user was created. They have no password yet: reset it here, or they can use Forgot your username or password. At their first sign-in they complete their registration."),
        "disabled" => Some("The user was disabled. Their sessions have ended and they can no longer sign in."),
        "disable_scheduled" => Some("The Disable was recorded. The user is disabled on its effective date."),
        "enabled" => Some("The user was enabled."),
        "deleted" => Some("The user was deleted. Their username can be registered again."),
        "password_reset" => Some("The password was reset. The user must change it when they next sign in."),
        "role_granted" => Some("The role was granted."),
        "role_removed" => Some("The role was removed."),
        _ => None,
    }
}

/// CON-3 Disable: now (today or earlier) or on a later Effective date.
#[server(prefix = "/rpc", endpoint = "console/users/disable")]
pub async fn disable_user(id: String, #[server(flatten)] form: DisableForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::users::{disable_user, Disabled};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let disable = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let outcome = disable_user(&state, &admin, &id, &disable).await.map_err(|e| to_app_error(e, reference()))?;
    let notice = match outcome {
        Disabled::Now => "disabled",
        Disabled::Scheduled(_) => "disable_scheduled",
    };
    Ok(format!("{}?notice={notice}", user_href(&id)))
}

/// CON-3 Enable (also drops a scheduled Disable).
#[server(prefix = "/rpc", endpoint = "console/users/enable")]
pub async fn enable_user(id: String, #[server(flatten)] form: JustificationForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let justification = form.optional().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::users::enable_user(&state, &admin, &id, justification.as_ref())
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=enabled", user_href(&id)))
}

/// CON-3 Delete, from its confirmation page.
#[server(prefix = "/rpc", endpoint = "console/users/delete")]
pub async fn delete_user(id: String, #[server(flatten)] form: JustificationForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let justification = form.required().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::users::delete_user(&state, &admin, &id, &justification)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=deleted", user_href(&id)))
}

/// CON-3 Reset password. A generated password comes back in the answer, once, to be shown on
/// the page; it is in no URL, no log and no row (SEC-7).
#[server(prefix = "/rpc", endpoint = "console/users/reset-password")]
pub async fn reset_user_password(
    id: String,
    #[server(flatten)] form: ResetPasswordForm,
) -> Result<SecretAnswer, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::password::CommonPasswordList;
    use crate::backend::settings::Settings;
    use crate::domain::PasswordContext;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let view = crate::backend::services::console::users::user_view(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let policy = {
        let mut conn = state.db.pool().acquire().await.map_err(|e| to_app_error(e.into(), reference()))?;
        Settings::load(&mut conn).await.map_err(|e| to_app_error(e.into(), reference()))?.password_policy()
    };
    let user = &view.user;
    let ctx = PasswordContext { username: &user.username, first_name: &user.first_name, last_name: &user.last_name };
    let choice = form.validate(&policy, &ctx, &CommonPasswordList).map_err(|fields| AppError::Validation { fields })?;
    let generated = crate::backend::services::console::user_access::reset_password(&state, &admin, &id, choice)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    // The page that shows a password is never stored by a browser or a proxy.
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
    Ok(SecretAnswer {
        next: format!("{}?notice=password_reset", user_href(&id)),
        secret: generated.map(|g| g.expose()),
    })
}

/// CON-3 grant a role, optionally dated, with a justification.
#[server(prefix = "/rpc", endpoint = "console/users/grant-role")]
pub async fn grant_user_role(id: String, #[server(flatten)] form: RoleGrantForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let grant = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::user_access::grant_role(&state, &admin, &id, &grant)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=role_granted", user_href(&id)))
}

/// CON-3 remove a role (justification optional), from its confirmation page.
#[server(prefix = "/rpc", endpoint = "console/users/remove-role")]
pub async fn remove_user_role(
    id: String,
    role_id: String,
    #[server(flatten)] form: JustificationForm,
) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let justification = form.optional().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::console::user_access::remove_role(&state, &admin, &id, &role_id, justification.as_ref())
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=role_removed", user_href(&id)))
}

/// CON-3 create a bare user (PAR-1 completes them later).
#[server(prefix = "/rpc", endpoint = "console/users/create")]
pub async fn create_bare_user(#[server(flatten)] form: BareUserForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let bare = form.validate().map_err(|fields| AppError::Validation { fields })?;
    let id = crate::backend::services::console::users::create_bare_user(&state, &admin, &bare)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), user_id = %id, "bare user created");
    Ok(format!("{}?notice=created", user_href(&id)))
}

/// Whether the console may offer a create form at all (the page's own check of the caller).
#[server(prefix = "/rpc", endpoint = "console/users/may-create")]
pub async fn may_create_users() -> Result<bool, AppError> {
    super::ssr::merchant_admin().await?;
    Ok(true)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{RoleLine, ScheduledDisable, UserDetail};
    use crate::backend::clock::format_ms;
    use crate::backend::services::console::users::UserView;
    use crate::domain::admin_contact::Day;
    use crate::domain::UserStatus;

    fn day(ms: Option<i64>) -> String {
        ms.map(|ms| Day::of_ms(ms).iso()).unwrap_or_default()
    }

    pub fn detail(view: UserView, grantable: Vec<(String, String)>, now: i64) -> UserDetail {
        let u = view.user;
        let live = matches!(u.status, UserStatus::Pending | UserStatus::Active | UserStatus::Inactive);
        let password = match (u.has_password, u.must_change_password) {
            (false, _) => "Not set",
            (true, true) => "Set; must be changed at next sign-in",
            (true, false) => "Set",
        };
        UserDetail {
            name: format!("{} {}", u.first_name, u.last_name),
            user_type: u.user_type.clone().unwrap_or_else(|| {
                if u.is_merchant_admin {
                    "Merchant admin".into()
                } else {
                    "None yet (partial registration)".into()
                }
            }),
            organization: u.organization_name.clone().unwrap_or_default(),
            status: u.status.to_string(),
            person_active: u.person_status == crate::domain::RecordStatus::Active,
            start: day(u.start_at),
            end: day(u.end_at),
            last_sign_in: u.last_sign_in_at.map(format_ms).unwrap_or_default(),
            password: password.to_owned(),
            scheduled_disable: view.schedule.as_ref().map(|s| ScheduledDisable {
                on: Day::of_ms(s.effective_at).iso(),
                justification: s.justification.clone(),
                requested_by: s.requested_by.clone().unwrap_or_default(),
            }),
            roles: view
                .roles
                .iter()
                .map(|r| RoleLine {
                    in_force: r.in_force_at(now),
                    role_id: r.role_id.clone(),
                    name: r.name.clone(),
                    start: day(r.start_at),
                    end: day(r.end_at),
                    justification: r.justification.clone().unwrap_or_default(),
                    granted_by: r.granted_by.clone().unwrap_or_default(),
                })
                .collect(),
            can_disable: u.status == UserStatus::Active && !view.is_self,
            can_enable: u.status == UserStatus::Inactive || (u.status == UserStatus::Active && view.schedule.is_some()),
            can_delete: u.status != UserStatus::Deleted && !view.is_self,
            can_reset: live && !view.is_self,
            can_grant: live,
            is_self: view.is_self,
            today: Day::of_ms(now).iso(),
            grantable,
            emails: view.emails,
            id: u.id,
            username: u.username,
        }
    }
}
