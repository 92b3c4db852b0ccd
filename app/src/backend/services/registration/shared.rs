//! What every registration shares: the username check (REG-8), the person with e-mail, phone and
//! marketing preference (REG-11, REG-12), and the user with either a pending request or
//! immediate activation, the e-mail (NOT-1) and the audit row (CON-5).

use sqlx::AnyConnection;

use super::Registered;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::mail;
use crate::backend::services::approval_steps::notify_approvers;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::persons::PreferenceSource;
use crate::backend::store::user_types::UserType;
use crate::backend::store::users::{NewUser, UserStatus};
use crate::backend::store::{audit, persons, requests, roles, user_types, users};
use crate::domain::{FieldError, IndividualRegistration, Language, RequestKind, Username};

pub const USERNAME_TAKEN: &str = "Username already used";

/// What every step of one registration shares.
pub(super) struct Ctx<'a> {
    pub state: &'a AppState,
    pub settings: &'a Settings,
    pub user_type: &'a UserType,
    pub language: Language,
    /// The integration user submitting through the JSON API (API-3), named by the audit row
    /// (API-6); `None` when the registrant submits the form themselves.
    pub submitted_by: Option<&'a str>,
}

/// REG-8: the username must be free here and in the external directory. Checked before the
/// expensive hash for a prompt answer; the unique index decides races.
pub(super) async fn username_errors(ctx: &Ctx<'_>, username: &Username) -> Result<Vec<FieldError>, ServiceError> {
    let lower = username.lower();
    let mut conn = ctx.state.db.pool().acquire().await?;
    let taken = users::is_reserved(&mut conn, &lower).await? || ctx.state.directory.is_taken(&lower).await;
    Ok(if taken { vec![FieldError::new("username", USERNAME_TAKEN)] } else { Vec::new() })
}

pub(super) fn username_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(Unique::Username) => ServiceError::field("username", USERNAME_TAKEN),
        other => other.into(),
    }
}

/// Where a phone number is used: an individual's own, or a business one (REG-10).
#[derive(Debug, Clone, Copy)]
pub(super) enum PhoneUse {
    Personal,
    Business,
}

/// The person, their e-mail and phone (REG-12: the session language becomes theirs).
pub(super) async fn insert_person(
    conn: &mut AnyConnection,
    r: &IndividualRegistration,
    language: Language,
    phone_use: PhoneUse,
    now: i64,
) -> Result<String, ServiceError> {
    let person = persons::NewPerson {
        first_name: r.first_name.as_str(),
        last_name: r.last_name.as_str(),
        language: language.code(),
    };
    let person_id = persons::insert(conn, &person, now).await?;
    persons::add_email(conn, &person_id, r.email.as_str(), true, now).await?;
    if let Some(phone) = &r.phone {
        let kind = match phone_use {
            PhoneUse::Personal => "personal",
            PhoneUse::Business => "business",
        };
        persons::add_phone(conn, &person_id, phone.as_str(), &phone.digits(), kind, now).await?;
    }
    Ok(person_id)
}

/// Who the new user is and what the registration created for them (REJ-1 needs to know).
pub(super) struct NewRegistrant<'a> {
    pub person_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub created_organization_id: Option<&'a str>,
    pub registry_id: Option<&'a str>,
    /// OAA: the records existed before; rejection releases only the username (OAA-5).
    pub is_online_access: bool,
    /// PAR-2: a signed-in user confirms; rejection keeps the username and the records (PAR-3).
    pub is_partial: bool,
}

/// The new login and what its e-mail needs.
pub(super) struct Applicant<'a> {
    pub username: &'a Username,
    pub email: &'a str,
    pub first_name: &'a str,
    pub marketing_opt_in: bool,
}

impl<'a> From<&'a IndividualRegistration> for Applicant<'a> {
    fn from(r: &'a IndividualRegistration) -> Self {
        Applicant {
            username: &r.username,
            email: r.email.as_str(),
            first_name: r.first_name.as_str(),
            marketing_opt_in: r.marketing_opt_in,
        }
    }
}

/// The user (reserving the username, REG-8), then what every registration does next
/// ([`settle`]), inside the caller's transaction.
pub(super) async fn add_user(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    r: &Applicant<'_>,
    hash: &str,
    who: &NewRegistrant<'_>,
    now: i64,
) -> Result<Registered, ServiceError> {
    let user_type = ctx.user_type;
    let needs_approval = user_type.approval_definition_id.is_some();
    let lower = r.username.lower();
    let status = if needs_approval { UserStatus::Pending } else { UserStatus::Active };
    let new_user = NewUser {
        person_id: who.person_id,
        user_type_id: Some(&user_type.id),
        organization_id: who.organization_id,
        contact_id: who.contact_id,
        username: r.username.as_str(),
        lower_username: &lower,
        password_hash: Some(hash),
        status,
        is_merchant_admin: false,
        must_change_password: false,
        start_at: (!needs_approval).then_some(now),
        end_at: None,
    };
    let user_id = users::insert(conn, &new_user, now).await.map_err(username_taken)?;
    settle(ctx, conn, &user_id, r, who, now).await
}

/// The opt-in (REG-11), then either a pending request (REG-13) or immediate activation (roles,
/// sites), the e-mail (NOT-1) and the audit row (CON-5), inside the caller's transaction.
pub(super) async fn settle(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    user_id: &str,
    r: &Applicant<'_>,
    who: &NewRegistrant<'_>,
    now: i64,
) -> Result<Registered, ServiceError> {
    let user_type = ctx.user_type;
    let needs_approval = user_type.approval_definition_id.is_some();
    let opt_in = if r.marketing_opt_in { "opted_in" } else { "opted_out" };
    persons::set_preference(
        conn,
        who.person_id,
        persons::MARKETING_OPT_IN,
        opt_in,
        PreferenceSource::Registration,
        Some(user_id),
        now,
    )
    .await?;
    match &user_type.approval_definition_id {
        Some(definition_id) => open_request(ctx, conn, user_id, definition_id, who, now).await?,
        None => {
            for role_id in user_types::role_ids(conn, &user_type.id).await? {
                roles::grant(conn, user_id, &role_id, None, now).await?;
            }
            roles::grant_sites_for_roles(conn, user_id, now).await?;
        }
    }
    let brand = mail::Brand::new(ctx.settings, &ctx.state.config.public_url);
    let message = mail::registration_received(
        &brand,
        ctx.language,
        r.email,
        r.first_name,
        r.username.as_str(),
        needs_approval,
        who.registry_id,
    );
    mail::enqueue(conn, &message, now).await?;
    let status = if needs_approval { UserStatus::Pending } else { UserStatus::Active };
    let entry = audit::AuditEntry {
        actor: match ctx.submitted_by {
            Some(integration) => audit::Actor::Integration(integration),
            None => audit::Actor::User(user_id),
        },
        action: if who.is_partial { "registration.confirmed" } else { "registration.submitted" },
        subject_type: "user",
        subject_id: user_id,
        before: None,
        after: Some(status.into()),
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(Registered { user_id: user_id.to_owned(), needs_approval, registry_id: who.registry_id.map(str::to_owned) })
}

/// REG-13: the request awaiting approval; the approvers of its first step are told (NOT-1).
async fn open_request(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    user_id: &str,
    definition_id: &str,
    who: &NewRegistrant<'_>,
    now: i64,
) -> Result<(), ServiceError> {
    let step_count = requests::step_count(conn, definition_id).await?;
    let new_request = requests::NewRequest {
        kind: RequestKind::Registration,
        user_id,
        organization_id: who.organization_id,
        user_type_id: Some(&ctx.user_type.id),
        enrollment_id: None,
        definition_id,
        step_count,
        is_partial: who.is_partial,
        is_online_access: who.is_online_access,
        created_person_id: Some(who.person_id),
        created_contact_id: who.contact_id,
        created_organization_id: who.created_organization_id,
    };
    let request_id = requests::insert(conn, &new_request, now).await?;
    let request = requests::find(conn, &request_id).await?.ok_or(ServiceError::NotFound)?;
    let brand = mail::Brand::new(ctx.settings, &ctx.state.config.public_url);
    notify_approvers(conn, &brand, ctx.settings, &request, now).await?;
    Ok(())
}
