//! Self-registration (REG): the list of user types and the registration use cases, each one
//! database transaction that also queues its e-mail (REG-14, NOT-3).

use sqlx::AnyConnection;

mod kinds;

use super::{field, Fields};
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::mail;
use crate::backend::password::CommonPasswordList;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::persons::PreferenceSource;
use crate::backend::store::user_types::UserType;
use crate::backend::store::users::{NewUser, UserStatus};
use crate::backend::store::{accounts, approvals, audit, persons, requests, roles, user_types, users};
use crate::domain::{FieldError, IndividualForm, IndividualRegistration, Language};

pub const USERNAME_TAKEN: &str = "Username already used";

/// The registrable user types after the `group_ut` filter of REG-2: unknown or inactive keys
/// are ignored, and when none remain the full list is returned.
pub async fn registrable_types(state: &AppState, group_ut: Option<&str>) -> Result<Vec<UserType>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let all = user_types::list_registrable(&mut conn).await?;
    let wanted: Vec<&str> = group_ut.unwrap_or("").split([':', ',']).map(str::trim).filter(|k| !k.is_empty()).collect();
    let filtered: Vec<UserType> = all.iter().filter(|t| wanted.contains(&t.key.as_str())).cloned().collect();
    Ok(if filtered.is_empty() { all } else { filtered })
}

/// A registrable type by key, or `NotFound` when unknown, inactive or not self-service.
pub async fn registrable_type(conn: &mut AnyConnection, key: &str) -> Result<UserType, ServiceError> {
    match user_types::find_by_key(conn, key).await? {
        Some(t) if t.is_active && t.is_self_service => Ok(t),
        _ => Err(ServiceError::NotFound),
    }
}

/// What the registration form of a type needs to render and validate in the browser.
pub struct RegistrationForm {
    pub user_type: UserType,
    pub settings: Settings,
}

pub async fn registration_form(state: &AppState, key: &str) -> Result<RegistrationForm, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let user_type = registrable_type(&mut conn, key).await?;
    let settings = Settings::load(&mut conn).await?;
    Ok(RegistrationForm { user_type, settings })
}

/// The result of a successful registration.
#[derive(Debug, Clone)]
pub struct Registered {
    pub user_id: String,
    pub needs_approval: bool,
    pub registry_id: Option<String>,
}

/// Registers as the user type `type_key` with the posted `fields` (REG-5 … REG-14).
pub async fn register(
    state: &AppState,
    type_key: &str,
    fields: &Fields,
    language: Language,
) -> Result<Registered, ServiceError> {
    let (user_type, settings) = {
        let mut conn = state.db.pool().acquire().await?;
        (registrable_type(&mut conn, type_key).await?, Settings::load(&mut conn).await?)
    };
    match user_type.kind.as_str() {
        "individual" => kinds::register_individual(state, &user_type, &settings, fields, language).await,
        "company_business" | "partner_business" => {
            kinds::register_business(state, &user_type, &settings, fields, language).await
        }
        "company_admin" | "partner_admin" => {
            kinds::register_company(state, &user_type, &settings, fields, language).await
        }
        _ => Err(ServiceError::NotFound),
    }
}

fn person_form(fields: &Fields) -> IndividualForm {
    IndividualForm {
        first_name: field(fields, "first_name").to_owned(),
        last_name: field(fields, "last_name").to_owned(),
        email: field(fields, "email").to_owned(),
        phone: field(fields, "phone").to_owned(),
        username: field(fields, "username").to_owned(),
        password: field(fields, "password").to_owned(),
        password_confirm: field(fields, "password_confirm").to_owned(),
        marketing_opt_in: matches!(field(fields, "marketing_opt_in"), "on" | "true" | "1" | "yes"),
    }
}

/// Validates the person fields (all errors at once) and checks that the username is free.
async fn validate_person(
    state: &AppState,
    settings: &Settings,
    fields: &Fields,
    mut errors: Vec<FieldError>,
    phone_required: bool,
) -> Result<IndividualRegistration, ServiceError> {
    let form = person_form(fields);
    if phone_required && form.phone.trim().is_empty() {
        errors.push(FieldError::new("phone", "Enter a business phone number"));
    }
    let registration = match form.validate(&settings.password_policy(), &CommonPasswordList) {
        Ok(r) if errors.is_empty() => r,
        Ok(_) => return Err(ServiceError::Validation(errors)),
        Err(mut more) => {
            errors.append(&mut more);
            return Err(ServiceError::Validation(order(errors)));
        }
    };
    // Checked before the expensive hash for a prompt answer; the unique index decides races.
    let lower = registration.username.lower();
    let mut conn = state.db.pool().acquire().await?;
    if users::is_reserved(&mut conn, &lower).await? || state.directory.is_taken(&lower).await {
        return Err(ServiceError::field("username", USERNAME_TAKEN));
    }
    Ok(registration)
}

/// Field errors in form order, so the first error is the first field a user meets.
fn order(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    const ORDER: &[&str] = &[
        "company_name",
        "registry_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "username",
        "password",
        "password_confirm",
        "address_line1",
        "city",
        "postal_code",
        "country",
        "company_phone",
    ];
    errors.sort_by_key(|e| ORDER.iter().position(|f| *f == e.field).unwrap_or(ORDER.len()));
    errors
}

fn username_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(Unique::Username) => ServiceError::field("username", USERNAME_TAKEN),
        other => other.into(),
    }
}

/// The person, their e-mail, phone and marketing preference (REG-11, REG-12).
async fn insert_person(
    conn: &mut AnyConnection,
    r: &IndividualRegistration,
    language: Language,
    phone_kind: &str,
    now: i64,
) -> Result<String, ServiceError> {
    let person_id = persons::insert(
        conn,
        &persons::NewPerson {
            first_name: r.first_name.as_str(),
            last_name: r.last_name.as_str(),
            language: language.code(),
        },
        now,
    )
    .await?;
    persons::add_email(conn, &person_id, r.email.as_str(), true, now).await?;
    if let Some(phone) = &r.phone {
        persons::add_phone(conn, &person_id, phone.as_str(), &phone.digits(), phone_kind, now).await?;
    }
    Ok(person_id)
}

async fn record_opt_in(
    conn: &mut AnyConnection,
    person_id: &str,
    user_id: &str,
    opt_in: bool,
    now: i64,
) -> Result<(), ServiceError> {
    let value = if opt_in { "opted_in" } else { "opted_out" };
    persons::set_preference(
        conn,
        person_id,
        persons::MARKETING_OPT_IN,
        value,
        PreferenceSource::Registration,
        Some(user_id),
        now,
    )
    .await?;
    Ok(())
}

/// What every step of one registration shares.
struct Ctx<'a> {
    state: &'a AppState,
    settings: &'a Settings,
    language: Language,
    now: i64,
}

async fn queue_received_mail(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    r: &IndividualRegistration,
    approval_required: bool,
    registry_id: Option<&str>,
) -> Result<(), ServiceError> {
    let brand = mail::Brand::new(ctx.settings, &ctx.state.config.public_url);
    let message = mail::registration_received(
        &brand,
        ctx.language,
        r.email.as_str(),
        r.first_name.as_str(),
        r.username.as_str(),
        approval_required,
        registry_id,
    );
    mail::enqueue(conn, &message, ctx.now).await?;
    Ok(())
}

/// Who the new user is and what the registration created for them (REJ-1 needs to know).
struct NewRegistrant<'a> {
    user_type: &'a UserType,
    person_id: &'a str,
    organization_id: Option<&'a str>,
    contact_id: Option<&'a str>,
    created_organization_id: Option<&'a str>,
    registry_id: Option<&'a str>,
}

/// The part every registration shares, inside the caller's transaction: the user (reserving the
/// username, REG-8), the opt-in (REG-11), then either a pending request (REG-13) or immediate
/// activation (roles, sites), the e-mail (NOT-1) and the audit row (CON-5).
async fn add_user(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    r: &IndividualRegistration,
    hash: &str,
    who: &NewRegistrant<'_>,
) -> Result<Registered, ServiceError> {
    let (state, settings, now) = (ctx.state, ctx.settings, ctx.now);
    let needs_approval = who.user_type.approval_definition_id.is_some();
    let lower = r.username.lower();
    let user_id = users::insert(
        conn,
        &NewUser {
            person_id: who.person_id,
            user_type_id: Some(&who.user_type.id),
            organization_id: who.organization_id,
            contact_id: who.contact_id,
            username: r.username.as_str(),
            lower_username: &lower,
            password_hash: hash,
            status: if needs_approval { UserStatus::Pending } else { UserStatus::Active },
            is_merchant_admin: false,
            must_change_password: false,
            start_at: (!needs_approval).then_some(now),
        },
        now,
    )
    .await
    .map_err(username_taken)?;
    record_opt_in(conn, who.person_id, &user_id, r.marketing_opt_in, now).await?;
    if let Some(definition_id) = &who.user_type.approval_definition_id {
        let step_count = requests::step_count(conn, definition_id).await?;
        let request_id = requests::insert(
            conn,
            &requests::NewRequest {
                kind: crate::domain::RequestKind::Registration,
                user_id: &user_id,
                organization_id: who.organization_id,
                user_type_id: Some(&who.user_type.id),
                enrollment_id: None,
                definition_id,
                step_count,
                is_partial: false,
                is_online_access: false,
                created_person_id: Some(who.person_id),
                created_contact_id: who.contact_id,
                created_organization_id: who.created_organization_id,
            },
            now,
        )
        .await?;
        // NOT-1: the approvers of the first step are told a request is waiting.
        if let Some(request) = approvals::find(conn, &request_id).await? {
            let brand = mail::Brand::new(settings, &state.config.public_url);
            super::approvals::notify_approvers(conn, &brand, settings, &request, now).await?;
        }
    } else {
        for role_id in user_types::role_ids(conn, &who.user_type.id).await? {
            roles::grant(conn, &user_id, &role_id, None, now).await?;
        }
        roles::grant_sites_for_roles(conn, &user_id, now).await?;
    }
    queue_received_mail(ctx, conn, r, needs_approval, who.registry_id).await?;
    audit::append(
        conn,
        &audit::AuditEntry {
            actor_user_id: Some(&user_id),
            action: "registration.submitted",
            subject_type: "user",
            subject_id: &user_id,
            before: None,
            after: Some(if needs_approval { "pending" } else { "active" }),
            justification: None,
        },
        now,
    )
    .await?;
    Ok(Registered { user_id, needs_approval, registry_id: who.registry_id.map(str::to_owned) })
}

/// An individual's own account (REG-4 "account on approval"), assigned as primary.
pub(crate) async fn open_individual_account(
    conn: &mut AnyConnection,
    person_id: &str,
    user_id: &str,
    now: i64,
) -> Result<String, ServiceError> {
    open_account(conn, accounts::Owner::Person(person_id), false, Some(user_id), now).await
}

/// A new account with a fresh number (retried on the rare collision), optionally assigned as
/// the user's primary account.
pub(crate) async fn open_account(
    conn: &mut AnyConnection,
    owner: accounts::Owner<'_>,
    company_primary: bool,
    assign_to: Option<&str>,
    now: i64,
) -> Result<String, ServiceError> {
    for _ in 0..5 {
        let number = accounts::generate_account_number();
        let owner = match &owner {
            accounts::Owner::Person(p) => accounts::Owner::Person(p),
            accounts::Owner::Organization(o) => accounts::Owner::Organization(o),
        };
        // A savepoint, so a collision does not abort the surrounding transaction (PostgreSQL).
        sqlx::query("SAVEPOINT open_account").execute(&mut *conn).await?;
        match accounts::insert(conn, owner, &number, company_primary, None, now).await {
            Ok(account_id) => {
                sqlx::query("RELEASE SAVEPOINT open_account").execute(&mut *conn).await?;
                if let Some(user_id) = assign_to {
                    accounts::assign(conn, user_id, &account_id, true, now).await?;
                }
                return Ok(account_id);
            }
            Err(e) if is_unique_violation(&e) => {
                sqlx::query("ROLLBACK TO SAVEPOINT open_account").execute(&mut *conn).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServiceError::Internal("could not allocate an account number".into()))
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
