//! Contact Management (ADM-1), Create contact (ADM-2), Update contact/user and converting a
//! contact into a user (ADM-3), with ADM-8's setting: creating users and changing usernames or
//! credentials needs MANAGE_USERS and `primary_users_manage_users` on.

use serde_json::json;
use sqlx::AnyConnection;

use super::{keeps_an_administrator, not_the_caller, require, subject};
use crate::backend::authz::CompanyAdmin;
use crate::backend::clock::MINUTE_MS;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::mail::{self, Brand};
use crate::backend::password::PasswordHash;
use crate::backend::services::approval_steps::notify_approvers;
use crate::backend::services::login_help::{new_token, token_hash};
use crate::backend::services::registration::USERNAME_TAKEN;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::accounts::{self, CompanyAccount};
use crate::backend::store::contacts::{self as store, ContactRow, StatusFilter, Subject};
use crate::backend::store::persons::{self, PreferenceSource, MARKETING_OPT_IN};
use crate::backend::store::requests::{self, NewRequest, Outcome};
use crate::backend::store::user_types::{self, UserType};
use crate::backend::store::users::{self, NewUser};
use crate::backend::store::{approvers, audit, login_help, organizations, roles, sessions};
use crate::domain::admin_contact::{
    ContactDetails, Day, DetailsChange, NewContact, NewLogin, CHOOSE_AN_ACCOUNT, CHOOSE_A_USER_TYPE,
};
use crate::domain::{ContactKind, Decision, Language, Permission, RecordStatus, RequestKind, UserStatus, UserTypeKind};

/// ADM-1: rows per page.
pub const PAGE_SIZE: i64 = 25;
/// ADM-2: an invitation link is valid for 7 days.
pub const INVITATION_VALIDITY_MS: i64 = 7 * 24 * 60 * MINUTE_MS;
pub const PHONE_REQUIRED: &str = "Enter a phone number: your merchant requires one for business users";

/// ADM-1: one page of the company's contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPage {
    pub rows: Vec<ContactRow>,
    pub has_next: bool,
}

/// ADM-1: search by name, username or e-mail prefix and filter by status; `page` from 1.
pub async fn contacts(
    state: &AppState,
    admin: &CompanyAdmin,
    prefix: Option<&str>,
    filter: StatusFilter,
    page: i64,
) -> Result<ContactPage, ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let mut conn = state.db.pool().acquire().await?;
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let prefix = prefix.map(str::trim).filter(|p| !p.is_empty());
    let mut rows =
        store::search(&mut conn, admin.organization_id(), admin.user_id(), prefix, filter, offset, PAGE_SIZE + 1)
            .await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    Ok(ContactPage { rows, has_next })
}

/// ADM-8: the caller may create logins and change usernames or credentials.
pub fn may_manage_users(admin: &CompanyAdmin, settings: &Settings) -> bool {
    admin.permissions().holds(Permission::ManageUsers) && settings.primary_users_manage_users
}

/// What the Create contact form offers (ADM-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactOptions {
    /// Key and short name of each user type a login may get.
    pub user_types: Vec<(String, String)>,
    pub accounts: Vec<CompanyAccount>,
    /// ADM-8: whether the "register this contact as a user" part is offered.
    pub may_create_users: bool,
    /// REG-10: `mandate_business_phone`.
    pub phone_required: bool,
}

pub async fn contact_options(state: &AppState, admin: &CompanyAdmin) -> Result<ContactOptions, ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let mut conn = state.db.pool().acquire().await?;
    let settings = Settings::cached(state.db.settings_cache(), &mut conn).await?;
    let types = login_types(&mut conn, admin.organization_id()).await?;
    Ok(ContactOptions {
        user_types: types.into_iter().map(|t| (t.key, t.short_name)).collect(),
        accounts: accounts::active_of_organization(&mut conn, admin.organization_id()).await?,
        may_create_users: may_manage_users(admin, &settings),
        phone_required: settings.mandate_business_phone,
    })
}

/// ADM-2: the store's active user types for this kind of organization, except online access.
async fn login_types(conn: &mut AnyConnection, organization_id: &str) -> Result<Vec<UserType>, ServiceError> {
    let organization = organizations::find(conn, organization_id).await?.ok_or(ServiceError::NotFound)?;
    let wanted: &[UserTypeKind] = if organization.kind.is_partner() {
        &[UserTypeKind::PartnerAdmin, UserTypeKind::PartnerBusiness]
    } else {
        &[UserTypeKind::CompanyAdmin, UserTypeKind::CompanyBusiness]
    };
    let mut types = Vec::new();
    for t in user_types::all(conn).await? {
        if t.is_active && wanted.contains(&t.kind) {
            types.push(t);
        }
    }
    Ok(types)
}

/// What happened to a new login (the page says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Approved at once: the user can sign in (once a password is set).
    Active,
    /// Steps of the approval definition above the caller remain (ADM-2).
    Pending,
}

/// ADM-2: the contact and, if asked for, their login — in one transaction, with the e-mail and
/// the audit rows. Answers the new contact's id and what happened to the login.
pub async fn create_contact(
    state: &AppState,
    admin: &CompanyAdmin,
    contact: NewContact,
) -> Result<(String, Option<LoginOutcome>), ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    check_phone(&settings, &contact.details)?;
    if contact.login.is_some() && !may_manage_users(admin, &settings) {
        return Err(ServiceError::Forbidden);
    }
    if let Some(login) = &contact.login {
        precheck_username(state, login).await?;
    }
    let hash = hash_of(state, contact.login.as_ref()).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let d = &contact.details;
    let person =
        persons::NewPerson { first_name: d.first_name.as_str(), last_name: d.last_name.as_str(), language: "en" };
    let person_id = persons::insert(&mut tx, &person, now).await?;
    persons::add_email(&mut tx, &person_id, d.email.as_str(), true, now).await?;
    if let Some(phone) = &d.phone {
        persons::add_phone(&mut tx, &person_id, phone.as_str(), &phone.digits(), "business", now).await?;
    }
    let contact_id = organizations::insert_contact(
        &mut tx,
        &person_id,
        admin.organization_id(),
        ContactKind::EmployeeOf,
        d.job_title.as_deref(),
        now,
    )
    .await?;
    if d.status == RecordStatus::Inactive {
        organizations::set_contact_status(&mut tx, &contact_id, RecordStatus::Inactive, now).await?;
    }
    let after = json!({
        "name": format!("{} {}", d.first_name.as_str(), d.last_name.as_str()),
        "email": d.email.as_str(),
        "job_title": d.job_title,
        "status": d.status.to_string(),
    })
    .to_string();
    log(&mut tx, admin, "contact.created", "contact", &contact_id, None, Some(&after), now).await?;
    let outcome = match &contact.login {
        Some(login) => {
            let who = Newcomer {
                person_id: &person_id,
                contact_id: &contact_id,
                first_name: d.first_name.as_str(),
                email: d.email.as_str(),
            };
            Some(add_login(&mut tx, state, &settings, admin, &who, login, hash.as_ref(), now).await?)
        }
        None => None,
    };
    tx.commit().await?;
    Ok((contact_id, outcome))
}

/// ADM-3: a contact without a login becomes a user, as in ADM-2.
pub async fn register_login(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    login: NewLogin,
) -> Result<LoginOutcome, ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    if !may_manage_users(admin, &settings) {
        return Err(ServiceError::Forbidden);
    }
    precheck_username(state, &login).await?;
    let hash = hash_of(state, Some(&login)).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let subject = subject(&mut tx, admin, contact_id).await?;
    if subject.user.is_some() {
        return Err(ServiceError::field("username", "This contact already has a login"));
    }
    let email = persons::primary_email(&mut tx, &subject.person_id).await?.unwrap_or_default();
    let who = Newcomer {
        person_id: &subject.person_id,
        contact_id: &subject.contact_id,
        first_name: &subject.first_name,
        email: &email,
    };
    let outcome = add_login(&mut tx, state, &settings, admin, &who, &login, hash.as_ref(), now).await?;
    tx.commit().await?;
    Ok(outcome)
}

fn check_phone(settings: &Settings, details: &ContactDetails) -> Result<(), ServiceError> {
    if settings.mandate_business_phone && details.phone.is_none() {
        return Err(ServiceError::field("phone", PHONE_REQUIRED));
    }
    Ok(())
}

/// REG-8 before the expensive hash, for a prompt answer; the unique index decides races.
async fn precheck_username(state: &AppState, login: &NewLogin) -> Result<(), ServiceError> {
    let lower = login.username.lower();
    let mut conn = state.db.pool().acquire().await?;
    if users::is_reserved(&mut conn, &lower).await? || state.directory.is_taken(&lower).await {
        return Err(ServiceError::field("username", USERNAME_TAKEN));
    }
    Ok(())
}

/// The temporary password's hash, made with no connection held (SEC-1).
async fn hash_of(state: &AppState, login: Option<&NewLogin>) -> Result<Option<PasswordHash>, ServiceError> {
    match login.and_then(|l| l.password.as_ref()) {
        Some(password) => Ok(Some(state.hasher.hash(password).await?)),
        None => Ok(None),
    }
}

/// The person a login is made for.
struct Newcomer<'a> {
    person_id: &'a str,
    contact_id: &'a str,
    first_name: &'a str,
    email: &'a str,
}

/// ADM-2's login, inside the caller's transaction: the user (username reserved), the primary
/// account, the approval — every step this administrator could decide is decided by them; if
/// none remains the user is active with the type's roles and sites, else a request waits for
/// the next approvers —, the invitation link (never a password) in the "user created" e-mail,
/// and the audit row.
#[allow(clippy::too_many_arguments)]
async fn add_login(
    conn: &mut AnyConnection,
    state: &AppState,
    settings: &Settings,
    admin: &CompanyAdmin,
    who: &Newcomer<'_>,
    login: &NewLogin,
    hash: Option<&PasswordHash>,
    now: i64,
) -> Result<LoginOutcome, ServiceError> {
    let organization_id = admin.organization_id();
    let types = login_types(conn, organization_id).await?;
    let user_type = types
        .into_iter()
        .find(|t| t.key == login.user_type)
        .ok_or_else(|| ServiceError::field("user_type", CHOOSE_A_USER_TYPE))?;
    let company_accounts = accounts::active_of_organization(conn, organization_id).await?;
    let account = match &login.account_id {
        Some(id) => Some(
            company_accounts
                .iter()
                .find(|a| &a.id == id)
                .ok_or_else(|| ServiceError::field("account_id", CHOOSE_AN_ACCOUNT))?,
        ),
        None => company_accounts.iter().find(|a| a.is_company_primary).or(company_accounts.first()),
    };
    let lower = login.username.lower();
    let new_user = NewUser {
        person_id: who.person_id,
        user_type_id: Some(&user_type.id),
        organization_id: Some(organization_id),
        contact_id: Some(who.contact_id),
        username: login.username.as_str(),
        lower_username: &lower,
        password_hash: hash.map(PasswordHash::as_str),
        status: if user_type.approval_definition_id.is_some() { UserStatus::Pending } else { UserStatus::Active },
        is_merchant_admin: false,
        must_change_password: hash.is_some(),
        start_at: Some(login.start.map(Day::start_ms).unwrap_or(now)),
        end_at: login.end.map(Day::end_ms),
    };
    let user_id = users::insert(conn, &new_user, now).await.map_err(|e| match e {
        StoreError::Duplicate(Unique::Username) => ServiceError::field("username", USERNAME_TAKEN),
        other => other.into(),
    })?;
    if let Some(account) = account {
        accounts::assign(conn, &user_id, &account.id, true, now).await?;
    }
    let brand = Brand::new(settings, &state.config.public_url);
    let outcome = match &user_type.approval_definition_id {
        None => LoginOutcome::Active,
        Some(definition_id) => {
            approve_as_far_as_possible(conn, &brand, settings, admin, &user_type, &user_id, definition_id, now).await?
        }
    };
    if outcome == LoginOutcome::Active {
        for role_id in user_types::role_ids(conn, &user_type.id).await? {
            roles::grant(conn, &user_id, &role_id, Some(admin.user_id()), now).await?;
        }
        roles::grant_sites_for_roles(conn, &user_id, now).await?;
    }
    let link = match hash {
        Some(_) => None,
        None => Some(invitation_link(conn, &brand, &user_id, now).await?),
    };
    let message = mail::user_created(
        &brand,
        Language::English,
        who.email,
        who.first_name,
        login.username.as_str(),
        link.as_deref(),
    );
    mail::enqueue(conn, &message, now).await?;
    let after = json!({
        "username": login.username.as_str(),
        "user_type": user_type.key,
        "status": if outcome == LoginOutcome::Active { "active" } else { "pending" },
        "password": if hash.is_some() { "temporary" } else { "invitation" },
        "account": account.map(|a| a.account_number.clone()),
        "start": login.start.map(Day::iso),
        "end": login.end.map(Day::iso),
    })
    .to_string();
    log(conn, admin, "user.created", "user", &user_id, None, Some(&after), now).await?;
    Ok(outcome)
}

/// ADM-2: the request of the new login, with each step this administrator may decide approved
/// by them in order; the first step they may not decide waits for its approvers (told now).
#[allow(clippy::too_many_arguments)]
async fn approve_as_far_as_possible(
    conn: &mut AnyConnection,
    brand: &Brand,
    settings: &Settings,
    admin: &CompanyAdmin,
    user_type: &UserType,
    user_id: &str,
    definition_id: &str,
    now: i64,
) -> Result<LoginOutcome, ServiceError> {
    let step_count = requests::step_count(conn, definition_id).await?;
    let new_request = NewRequest {
        kind: RequestKind::Registration,
        user_id,
        organization_id: Some(admin.organization_id()),
        user_type_id: Some(&user_type.id),
        enrollment_id: None,
        definition_id,
        step_count,
        is_partial: false,
        is_online_access: false,
        created_person_id: None,
        created_contact_id: None,
        created_organization_id: None,
    };
    let request_id = requests::insert(conn, &new_request, now).await?;
    loop {
        let request = requests::find(conn, &request_id).await?.ok_or(ServiceError::NotFound)?;
        let eligible =
            approvers::step_approvers(conn, &request, settings.universal_approver_id.as_deref(), now).await?;
        if !eligible.iter().any(|a| a.user_id == admin.user_id()) {
            notify_approvers(conn, brand, settings, &request, now).await?;
            return Ok(LoginOutcome::Pending);
        }
        let step = request.current_step;
        if request.at_last_step() {
            requests::close(conn, &request, Outcome::Approved, now).await?;
            requests::record_decision(conn, &request_id, step, Decision::Approved, Some(admin.user_id()), None, now)
                .await?;
            users::set_status(conn, user_id, UserStatus::Active, now).await?;
            return Ok(LoginOutcome::Active);
        }
        requests::advance(conn, &request, now).await?;
        requests::record_decision(conn, &request_id, step, Decision::Approved, Some(admin.user_id()), None, now)
            .await?;
    }
}

/// A single-use set-password link valid for 7 days (ADM-2, LOG-6); only its hash is stored.
async fn invitation_link(
    conn: &mut AnyConnection,
    brand: &Brand,
    user_id: &str,
    now: i64,
) -> Result<String, ServiceError> {
    let token = new_token();
    login_help::insert_token(conn, &token_hash(&token), user_id, now + INVITATION_VALIDITY_MS, now).await?;
    Ok(format!("{}/password/reset/{token}", brand.public_url))
}

/// The Details tab (ADM-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactView {
    pub subject: Subject,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub marketing_opt_in: bool,
    /// ADM-8: usernames and credentials may be changed, and contacts made users.
    pub may_manage_users: bool,
    /// The caller's own contact: shown, but their own access is not changed here.
    pub is_caller: bool,
    pub options: ContactOptions,
}

pub async fn contact(state: &AppState, admin: &CompanyAdmin, contact_id: &str) -> Result<ContactView, ServiceError> {
    let options = contact_options(state, admin).await?;
    let mut conn = state.db.pool().acquire().await?;
    let subject = subject(&mut conn, admin, contact_id).await?;
    let row = store::details(&mut conn, &subject.contact_id).await?.ok_or(ServiceError::NotFound)?;
    Ok(ContactView {
        is_caller: subject.user.as_ref().is_some_and(|u| u.id == admin.user_id()),
        subject,
        job_title: row.job_title,
        email: row.email,
        phone: row.phone,
        marketing_opt_in: row.marketing.as_deref() == Some("opted_in"),
        may_manage_users: options.may_create_users,
        options,
    })
}

/// ADM-3: details, status, dates, marketing opt-in and (ADM-8) username, in one transaction.
/// A login made inactive or ended loses its sessions at once; the company keeps an active
/// administrator; the caller does not change their own access here.
pub async fn update_contact(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    change: DetailsChange,
) -> Result<(), ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settings = Settings::load(&mut tx).await?;
    check_phone(&settings, &change.details)?;
    let subject = subject(&mut tx, admin, contact_id).await?;
    let before_row = store::details(&mut tx, &subject.contact_id).await?.ok_or(ServiceError::NotFound)?;
    let d = &change.details;
    // The login as it will be: a pending login stays pending (approval decides it, not this form).
    let next_login = match (&subject.user, &change.login) {
        (Some(user), Some(login)) => {
            let status = match (user.status, login.active) {
                (UserStatus::Active | UserStatus::Inactive, true) => UserStatus::Active,
                (UserStatus::Active | UserStatus::Inactive, false) => UserStatus::Inactive,
                (other, _) => other,
            };
            let start = login.start.map(Day::start_ms).or(user.start_at);
            let end = login.end.map(Day::end_ms);
            Some((user, login, status, start, end))
        }
        _ => None,
    };
    let access_changes = d.status != subject.contact_status
        || next_login.is_some_and(|(user, login, status, start, end)| {
            status != user.status
                || start != user.start_at
                || end != user.end_at
                || login.username.as_ref().is_some_and(|u| u.as_str() != user.username)
        });
    if access_changes {
        not_the_caller(admin, &subject)?;
    }
    store::rename_person(&mut tx, &subject.person_id, d.first_name.as_str(), d.last_name.as_str(), now).await?;
    store::set_primary_email(&mut tx, &subject.person_id, d.email.as_str(), now).await?;
    crate::backend::store::phones::set_person_phone(&mut tx, &subject.person_id, d.phone.as_ref(), now).await?;
    store::update_contact(&mut tx, &subject.contact_id, d.job_title.as_deref(), d.status, now).await?;
    let opt_in = if change.marketing_opt_in { "opted_in" } else { "opted_out" };
    if before_row.marketing.as_deref() != Some(opt_in) {
        persons::set_preference(
            &mut tx,
            &subject.person_id,
            MARKETING_OPT_IN,
            opt_in,
            PreferenceSource::PrimaryUser,
            Some(admin.user_id()),
            now,
        )
        .await?;
    }
    let mut ends_sessions = d.status == RecordStatus::Inactive;
    if let Some((user, login, status, start, end)) = next_login {
        if login.username.is_some() && !may_manage_users(admin, &settings) {
            return Err(ServiceError::Forbidden);
        }
        let username = login.username.as_ref().map(|u| u.as_str());
        store::update_login(&mut tx, &user.id, status, start, end, username, now).await.map_err(|e| match e {
            StoreError::Duplicate(Unique::Username) => ServiceError::field("username", USERNAME_TAKEN),
            other => other.into(),
        })?;
        ends_sessions |=
            status == UserStatus::Inactive || end.is_some_and(|e| e < now) || start.is_some_and(|s| s > now);
        if ends_sessions {
            sessions::delete_for_user(&mut tx, &user.id).await?;
        }
    }
    keeps_an_administrator(&mut tx, admin.organization_id(), now).await?;
    let user = subject.user.as_ref();
    let before = json!({
        "name": format!("{} {}", subject.first_name, subject.last_name),
        "email": before_row.email,
        "phone": before_row.phone,
        "job_title": before_row.job_title,
        "status": subject.contact_status.to_string(),
        "marketing": before_row.marketing,
        "user_status": user.map(|u| u.status.to_string()),
        "start_at": user.and_then(|u| u.start_at),
        "end_at": user.and_then(|u| u.end_at),
        "username": user.map(|u| u.username.clone()),
    })
    .to_string();
    let login = change.login.as_ref();
    let after = json!({
        "name": format!("{} {}", d.first_name.as_str(), d.last_name.as_str()),
        "email": d.email.as_str(),
        "phone": d.phone.as_ref().map(|p| p.as_str()),
        "job_title": d.job_title,
        "status": d.status.to_string(),
        "marketing": opt_in,
        "user_active": login.map(|l| l.active),
        "start": login.and_then(|l| l.start.map(Day::iso)),
        "end": login.and_then(|l| l.end.map(Day::iso)),
        "username": login.and_then(|l| l.username.as_ref().map(|u| u.as_str().to_owned())),
    })
    .to_string();
    log(&mut tx, admin, "contact.updated", "contact", &subject.contact_id, Some(&before), Some(&after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// ADM-3, ADM-8: a new set-password link for the contact's login (7 days; earlier links stop
/// working). Never a password by e-mail.
pub async fn send_invitation(state: &AppState, admin: &CompanyAdmin, contact_id: &str) -> Result<(), ServiceError> {
    require(admin, Permission::ManageContacts)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settings = Settings::load(&mut tx).await?;
    if !may_manage_users(admin, &settings) {
        return Err(ServiceError::Forbidden);
    }
    let subject = subject(&mut tx, admin, contact_id).await?;
    not_the_caller(admin, &subject)?;
    let user = subject.user.as_ref().ok_or(ServiceError::NotFound)?;
    let email = persons::primary_email(&mut tx, &subject.person_id).await?.ok_or(ServiceError::NotFound)?;
    login_help::invalidate_tokens_of(&mut tx, &user.id, now).await?;
    let brand = Brand::new(&settings, &state.config.public_url);
    let link = invitation_link(&mut tx, &brand, &user.id, now).await?;
    let message =
        mail::user_created(&brand, Language::English, &email, &subject.first_name, &user.username, Some(&link));
    mail::enqueue(&mut tx, &message, now).await?;
    log(&mut tx, admin, "user.invitation_sent", "user", &user.id, None, None, now).await?;
    tx.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn log(
    conn: &mut AnyConnection,
    admin: &CompanyAdmin,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type,
        subject_id,
        before,
        after,
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(())
}
