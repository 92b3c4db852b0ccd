//! Contact Management (ADM-1), Create contact (ADM-2), the Details tab and converting a contact
//! into a user (ADM-3), with ADM-8. Each server function makes its own capability (SEC-5).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ContactHeading;
#[cfg(feature = "ssr")]
use super::CONTACTS;
use crate::api::error::AppError;
use crate::domain::admin_contact::{ContactDetailsForm, ContactForm, LoginForm};

pub const NEW_CONTACT: &str = "/admin/contacts/new";

/// One row of the list, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListRow {
    pub contact_id: String,
    pub name: String,
    pub username: String,
    pub email: String,
    pub phone: String,
    pub status: String,
    pub user_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListPage {
    pub rows: Vec<ContactListRow>,
    pub page: i64,
    pub has_next: bool,
}

/// ADM-1's status filter values, as the select posts them, with their labels.
pub const STATUS_FILTERS: &[(&str, &str)] =
    &[("", "All"), ("active", "Active"), ("inactive", "Inactive"), ("pending", "Pending approval")];

/// ADM-1: a page of the company's contacts matching `q` and `status`.
#[server(prefix = "/rpc", endpoint = "admin/contacts/list")]
pub async fn contact_list(q: String, status: String, page: i64) -> Result<ContactListPage, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::store::contacts::StatusFilter;
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let filter = match status.as_str() {
        "active" => StatusFilter::Active,
        "inactive" => StatusFilter::Inactive,
        "pending" => StatusFilter::Pending,
        _ => StatusFilter::All,
    };
    let page = page.clamp(1, 100_000);
    let found = crate::backend::services::admin::contacts::contacts(&state()?, &admin, Some(q.as_str()), filter, page)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let rows = found
        .rows
        .into_iter()
        .map(|r| ContactListRow {
            status: status_label(&r.contact_status, r.user_status.as_deref()).to_owned(),
            contact_id: r.contact_id,
            name: format!("{} {}", r.first_name, r.last_name),
            username: r.username.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            phone: r.phone.unwrap_or_default(),
            user_type: r.user_type.unwrap_or_default(),
        })
        .collect();
    Ok(ContactListPage { rows, page, has_next: found.has_next })
}

/// What a person's state reads as: the login awaiting approval first, then inactive.
pub fn status_label(contact_status: &str, user_status: Option<&str>) -> &'static str {
    match (contact_status, user_status) {
        (_, Some("pending")) => "Pending approval",
        ("inactive", _) | (_, Some("inactive")) => "Inactive",
        _ => "Active",
    }
}

/// What the contact forms offer (ADM-2): user types, accounts, whether logins may be made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContactChoices {
    pub user_types: Vec<(String, String)>,
    /// (id, account number, company primary).
    pub accounts: Vec<(String, String, bool)>,
    pub may_create_users: bool,
    pub phone_required: bool,
    /// Today (UTC), the Start date's default.
    pub today: String,
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/options")]
pub async fn contact_form_options() -> Result<ContactChoices, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let options = crate::backend::services::admin::contacts::contact_options(&state, &admin)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ssr::options(options, state.now_ms()))
}

/// ADM-2: creates the contact (and login); answers the contact's page with what happened.
#[server(prefix = "/rpc", endpoint = "admin/contacts/create")]
pub async fn create_contact(#[server(flatten)] form: ContactForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::password::CommonPasswordList;
    use crate::backend::services::admin::contacts::{create_contact, LoginOutcome};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let policy = ssr::password_policy(&state).await.map_err(|e| to_app_error(e, reference()))?;
    let contact = form.validate(&policy, &CommonPasswordList).map_err(|fields| AppError::Validation { fields })?;
    let invited = contact.login.as_ref().is_some_and(|l| l.password.is_none());
    let (contact_id, outcome) =
        create_contact(&state, &admin, contact).await.map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), contact_id = %contact_id, "contact created");
    let notice = match (outcome, invited) {
        (None, _) => "created",
        (Some(LoginOutcome::Active), true) => "user_invited",
        (Some(LoginOutcome::Active), false) => "user_created",
        (Some(LoginOutcome::Pending), _) => "user_pending",
    };
    Ok(format!("{CONTACTS}/{contact_id}?notice={notice}"))
}

/// The notices of the contact pages.
pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "created" => Some("The contact was created."),
        "user_invited" => Some("The user was created. We sent them an e-mail with their username and a link to set their password."),
        "user_created" => Some("The user was created with the temporary password you chose. Give it to them yourself: they must change it when they first sign in."),
        "user_pending" => Some("The user was created and is waiting for approval by your merchant. We e-mailed them their username."),
        "saved" => Some("The contact was saved."),
        "invitation_sent" => Some("We sent a new link to set a password. Earlier links no longer work."),
        _ => None,
    }
}

/// The Details tab (ADM-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPageInfo {
    pub heading: ContactHeading,
    pub form: ContactDetailsForm,
    pub has_login: bool,
    /// A login awaiting approval: its status is decided by approval, not here.
    pub pending: bool,
    pub may_manage_users: bool,
    pub is_caller: bool,
    pub options: ContactChoices,
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/one")]
pub async fn contact_info(id: String) -> Result<ContactPageInfo, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::admin_contact::Day;
    use crate::domain::{Permission, UserStatus};
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let view = crate::backend::services::admin::contacts::contact(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let user = view.subject.user.as_ref();
    let form = ContactDetailsForm {
        first_name: view.subject.first_name.clone(),
        last_name: view.subject.last_name.clone(),
        email: view.email.clone().unwrap_or_default(),
        phone: view.phone.clone().unwrap_or_default(),
        job_title: view.job_title.clone().unwrap_or_default(),
        contact_status: view.subject.contact_status.to_string(),
        marketing_opt_in: view.marketing_opt_in,
        user_status: match user.map(|u| u.status) {
            Some(UserStatus::Inactive) => "inactive".into(),
            _ => "active".into(),
        },
        start_date: user.and_then(|u| u.start_at).map(|ms| Day::of_ms(ms).iso()).unwrap_or_default(),
        end_date: user.and_then(|u| u.end_at).map(|ms| Day::of_ms(ms).iso()).unwrap_or_default(),
        username: user.map(|u| u.username.clone()).unwrap_or_default(),
    };
    Ok(ContactPageInfo {
        heading: super::ssr::heading(&admin, &view.subject),
        has_login: user.is_some(),
        pending: user.is_some_and(|u| u.status == UserStatus::Pending),
        may_manage_users: view.may_manage_users,
        is_caller: view.is_caller,
        options: ssr::options(view.options, state.now_ms()),
        form,
    })
}

/// ADM-3: saves the Details tab.
#[server(prefix = "/rpc", endpoint = "admin/contacts/save")]
pub async fn save_contact(id: String, #[server(flatten)] form: ContactDetailsForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::services::admin::contacts::{contact, update_contact};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let view = contact(&state, &admin, &id).await.map_err(|e| to_app_error(e, reference()))?;
    let has_login = view.subject.user.is_some();
    let change = form
        .validate(has_login, has_login && view.may_manage_users)
        .map_err(|fields| AppError::Validation { fields })?;
    update_contact(&state, &admin, &id, change).await.map_err(|e| to_app_error(e, reference()))?;
    tracing::info!(reference = %reference(), contact_id = %id, "contact saved");
    Ok(format!("{CONTACTS}/{id}?notice=saved"))
}

/// ADM-3: a contact without a login becomes a user (as in ADM-2).
#[server(prefix = "/rpc", endpoint = "admin/contacts/register-user")]
pub async fn register_contact_user(id: String, #[server(flatten)] form: LoginForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::password::CommonPasswordList;
    use crate::backend::services::admin::contacts::{contact, register_login, LoginOutcome};
    use crate::domain::admin_contact::LoginRules;
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    let state = state()?;
    let view = contact(&state, &admin, &id).await.map_err(|e| to_app_error(e, reference()))?;
    let policy = ssr::password_policy(&state).await.map_err(|e| to_app_error(e, reference()))?;
    let login = {
        let rules = LoginRules {
            policy: &policy,
            common: &CommonPasswordList,
            first_name: &view.subject.first_name,
            last_name: &view.subject.last_name,
        };
        form.validate(&rules)
    }
    .map_err(|fields| AppError::Validation { fields })?;
    let invited = login.password.is_none();
    let outcome = register_login(&state, &admin, &id, login).await.map_err(|e| to_app_error(e, reference()))?;
    let notice = match (outcome, invited) {
        (LoginOutcome::Active, true) => "user_invited",
        (LoginOutcome::Active, false) => "user_created",
        (LoginOutcome::Pending, _) => "user_pending",
    };
    Ok(format!("{CONTACTS}/{id}?notice={notice}"))
}

/// ADM-3, ADM-8: e-mails the contact's login a new set-password link.
#[server(prefix = "/rpc", endpoint = "admin/contacts/invite")]
pub async fn send_contact_invitation(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::domain::Permission;
    let caller = crate::api::capability::caller().await?;
    let admin = caller.company_admin(Permission::ManageContacts).map_err(|e| to_app_error(e, reference()))?;
    crate::backend::services::admin::contacts::send_invitation(&state()?, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{CONTACTS}/{id}?notice=invitation_sent"))
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::ContactChoices;
    use crate::backend::services::admin::contacts::ContactOptions;
    use crate::backend::settings::Settings;
    use crate::backend::{AppState, ServiceError};
    use crate::domain::admin_contact::Day;
    use crate::domain::PasswordPolicy;

    pub fn options(options: ContactOptions, now_ms: i64) -> ContactChoices {
        ContactChoices {
            user_types: options.user_types,
            accounts: options.accounts.into_iter().map(|a| (a.id, a.account_number, a.is_company_primary)).collect(),
            may_create_users: options.may_create_users,
            phone_required: options.phone_required,
            today: Day::of_ms(now_ms).iso(),
        }
    }

    pub async fn password_policy(state: &AppState) -> Result<PasswordPolicy, ServiceError> {
        let mut conn = state.db.pool().acquire().await?;
        Ok(Settings::load(&mut conn).await?.password_policy())
    }
}
