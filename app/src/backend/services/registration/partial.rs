//! Partial registration (PAR-1 … PAR-3): a signed-in user whose customer record is incomplete
//! chooses one of the types that fit what is known and confirms that type's form, pre-filled
//! with what is known. The login stays as it is; the person, organization, contact and
//! account the form names are completed, and the usual approval decides the rest. A rejected
//! confirmation keeps the username and leaves the records as they are (PAR-3).

use super::kinds::{active_organization, create_organization, refuse_if_any, unknown_organization};
use super::shared::{settle, Applicant, Ctx, NewRegistrant};
use super::{registrable_types, registration_setup, Registered, RegistrationSetup};
use crate::backend::authz::PartialUser;
use crate::backend::error::ServiceError;
use crate::backend::services::accounts::{assign_default_company_account, open_account, open_individual_account};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::user_types::UserType;
use crate::backend::store::{accounts, contacts, organizations, persons, phones, users};
use crate::domain::online_access::phones_match;
use crate::domain::{Confirmation, Language, Organization, PhoneEntry, PhoneKind, RecordStatus};

/// PAR-1: the active types that fit what is known about the user.
pub async fn confirmation_choices(state: &AppState, partial: &PartialUser) -> Result<Vec<UserType>, ServiceError> {
    let all = registrable_types(state, None).await?;
    Ok(all.into_iter().filter(|t| partial.known().offers(t.kind)).collect())
}

/// The setup of a type the user may confirm; `NotFound` for any other.
pub async fn confirmation_setup(
    state: &AppState,
    partial: &PartialUser,
    key: &str,
) -> Result<RegistrationSetup, ServiceError> {
    let setup = registration_setup(state, key).await?;
    if !partial.known().offers(setup.user_type.kind) {
        return Err(ServiceError::NotFound);
    }
    Ok(setup)
}

/// PAR-2: the form's starting values — the person's names, primary e-mail and phone, and the
/// Registry ID of the organization the user belonged to.
pub async fn confirmation_defaults(
    state: &AppState,
    partial: &PartialUser,
) -> Result<Vec<(&'static str, String)>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let person = persons::known(&mut conn, partial.person_id()).await?;
    let registry_id = match partial.organization_id() {
        Some(id) => organizations::name_and_registry_id(&mut conn, id).await?.map(|(_, registry_id)| registry_id),
        None => None,
    };
    Ok([
        ("first_name", Some(person.first_name)),
        ("last_name", Some(person.last_name)),
        ("email", person.email),
        ("phone", person.phone),
        ("registry_id", registry_id),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| (name, v)))
    .collect())
}

/// PAR-2: completes the records as `confirmation` states them, in one transaction; with
/// auto-approval the user is complete at once, otherwise a partial request waits.
pub async fn confirm(
    state: &AppState,
    partial: &PartialUser,
    setup: &RegistrationSetup,
    confirmation: Confirmation,
    language: Language,
) -> Result<Registered, ServiceError> {
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    let ctx = Ctx { state, settings: &settings, user_type: &setup.user_type, language, submitted_by: None };
    let existing = match &confirmation.organization {
        Organization::Existing(kind, registry_id) => {
            let found = active_organization(&ctx, *kind, registry_id).await?;
            refuse_if_any(if found.is_none() { vec![unknown_organization(*kind)] } else { Vec::new() })?;
            found
        }
        Organization::None | Organization::New(..) => None,
    };
    let Confirmation { details, organization, marketing_opt_in } = confirmation;
    let (user_id, person_id) = (partial.user_id(), partial.person_id());
    let needs_approval = setup.user_type.approval_definition_id.is_some();
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    contacts::rename_person(&mut tx, person_id, details.first_name.as_str(), details.last_name.as_str(), now).await?;
    persons::set_status(&mut tx, person_id, RecordStatus::Active, now).await?;
    contacts::set_primary_email(&mut tx, person_id, details.email.as_str(), now).await?;
    let phone_kind = if matches!(organization, Organization::None) { PhoneKind::Personal } else { PhoneKind::Business };
    if let Some(phone) = details.phone.clone() {
        let known = phones::of_person(&mut tx, person_id, 50).await?;
        if !known.iter().any(|p| phones_match(phone.as_str(), &p.number)) {
            phones::insert(&mut tx, person_id, &PhoneEntry { phone, kind: phone_kind }, now).await?;
        }
    }
    let (organization_id, registry_id) = match (&organization, existing) {
        (Organization::New(kind, company), _) => {
            let (registry_id, id) = create_organization(&mut tx, company, *kind, now).await?;
            let assign_to = (!needs_approval).then_some(user_id);
            open_account(&mut tx, accounts::Owner::Organization(id.as_str()), true, assign_to, now).await?;
            (Some(id), Some(registry_id.as_str().to_owned()))
        }
        (Organization::Existing(..), Some(found)) => (Some(found.id), None),
        _ => (None, None),
    };
    let contact_id = match &organization_id {
        Some(id) => Some(organizations::ensure_active_contact(&mut tx, person_id, id, now).await?),
        None => None,
    };
    users::confirm_registration(
        &mut tx,
        user_id,
        &setup.user_type.id,
        organization_id.as_deref(),
        contact_id.as_deref(),
        now,
    )
    .await?;
    if !needs_approval {
        complete_accounts(&mut tx, &settings, user_id, person_id, organization_id.as_deref(), now).await?;
    }
    let username =
        crate::domain::Username::parse(partial.username()).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let applicant = Applicant {
        username: &username,
        email: details.email.as_str(),
        first_name: details.first_name.as_str(),
        marketing_opt_in,
    };
    let who = NewRegistrant {
        person_id,
        organization_id: organization_id.as_deref(),
        contact_id: contact_id.as_deref(),
        created_organization_id: None,
        registry_id: registry_id.as_deref(),
        is_online_access: false,
        is_partial: true,
    };
    let registered = settle(&ctx, &mut tx, user_id, &applicant, &who, now).await?;
    tx.commit().await?;
    Ok(registered)
}

/// With auto-approval: an individual without an account gets one (REG-5); a user of an
/// existing organization gets its primary account (APR-5), or a new one when it has none and
/// `auto_create_account` is on.
async fn complete_accounts(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    user_id: &str,
    person_id: &str,
    organization_id: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let Some(organization_id) = organization_id else {
        if accounts::usable_by(conn, user_id, accounts::Owner::Person(person_id)).await?.is_empty() {
            open_individual_account(conn, person_id, user_id, now).await?;
        }
        return Ok(());
    };
    if !accounts::assigned_in_organization(conn, user_id, organization_id).await?.is_empty() {
        return Ok(());
    }
    assign_default_company_account(conn, settings.auto_create_account, user_id, organization_id, now).await?;
    Ok(())
}
