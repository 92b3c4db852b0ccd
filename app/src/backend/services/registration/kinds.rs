//! The registration use cases by flow: an individual (REG-5), a user of an existing company or
//! partner (REG-7), and a new company or partner with its first user (REG-6).

use sqlx::AnyConnection;

use super::shared::{add_user, insert_person, username_errors, Applicant, Ctx, NewRegistrant, PhoneUse};
use super::Registered;
use crate::backend::error::{ServiceError, Unique};
use crate::backend::services::accounts::{open_account, open_individual_account};
use crate::backend::store::{self, accounts, organizations};
use crate::domain::{
    CompanyDetails, ContactKind, FieldError, IndividualRegistration, OrganizationKind, RecordStatus, RegistryId,
};

/// REG-5: an individual. With no approval the user is active at once and gets an account;
/// with an approval definition the user waits, reserved, as pending (REG-8, REG-13).
pub(super) async fn register_individual(ctx: &Ctx<'_>, r: IndividualRegistration) -> Result<Registered, ServiceError> {
    refuse_if_any(username_errors(ctx, &r.username).await?)?;
    let hash = ctx.state.hasher.hash(&r.password).await?;
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    let person_id = insert_person(&mut tx, &r, ctx.language, PhoneUse::Personal, now).await?;
    let who = NewRegistrant {
        person_id: &person_id,
        organization_id: None,
        contact_id: None,
        created_organization_id: None,
        registry_id: None,
        is_online_access: false,
        is_partial: false,
    };
    let registered = add_user(ctx, &mut tx, &Applicant::from(&r), hash.as_str(), &who, now).await?;
    if !registered.needs_approval {
        open_individual_account(&mut tx, &person_id, &registered.user_id, now).await?;
    }
    tx.commit().await?;
    Ok(registered)
}

/// REG-7: a user of an existing company (or partner), identified by its Registry ID. The
/// user waits for the company's primary users; the contact is "employee of" the company.
pub(super) async fn register_business(
    ctx: &Ctx<'_>,
    r: IndividualRegistration,
    kind: OrganizationKind,
    registry_id: &RegistryId,
) -> Result<Registered, ServiceError> {
    let organization = active_organization(ctx, kind, registry_id).await?;
    let mut errors = Vec::new();
    if organization.is_none() {
        errors.push(unknown_organization(kind));
    }
    errors.extend(username_errors(ctx, &r.username).await?);
    refuse_if_any(errors)?;
    let organization = organization.ok_or(ServiceError::NotFound)?;
    let hash = ctx.state.hasher.hash(&r.password).await?;
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    let person_id = insert_person(&mut tx, &r, ctx.language, PhoneUse::Business, now).await?;
    let contact_id =
        organizations::insert_contact(&mut tx, &person_id, &organization.id, ContactKind::EmployeeOf, None, now)
            .await?;
    let who = NewRegistrant {
        person_id: &person_id,
        organization_id: Some(&organization.id),
        contact_id: Some(&contact_id),
        created_organization_id: None,
        registry_id: None,
        is_online_access: false,
        is_partial: false,
    };
    let registered = add_user(ctx, &mut tx, &Applicant::from(&r), hash.as_str(), &who, now).await?;
    tx.commit().await?;
    Ok(registered)
}

/// REG-6: a new company (or partner) and its first user, a primary user. The organization gets
/// a unique Registry ID, its first financial account (the company's primary account), and the
/// address with both billing and shipping usages.
pub(super) async fn register_company(
    ctx: &Ctx<'_>,
    r: IndividualRegistration,
    kind: OrganizationKind,
    company: CompanyDetails,
) -> Result<Registered, ServiceError> {
    refuse_if_any(username_errors(ctx, &r.username).await?)?;
    let hash = ctx.state.hasher.hash(&r.password).await?;
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    let (registry_id, organization_id) = create_organization(&mut tx, &company, kind, now).await?;
    let person_id = insert_person(&mut tx, &r, ctx.language, PhoneUse::Business, now).await?;
    let contact_id =
        organizations::insert_contact(&mut tx, &person_id, &organization_id, ContactKind::EmployeeOf, None, now)
            .await?;
    let who = NewRegistrant {
        person_id: &person_id,
        organization_id: Some(&organization_id),
        contact_id: Some(&contact_id),
        created_organization_id: Some(&organization_id),
        registry_id: Some(registry_id.as_str()),
        is_online_access: false,
        is_partial: false,
    };
    let registered = add_user(ctx, &mut tx, &Applicant::from(&r), hash.as_str(), &who, now).await?;
    let assign_to = (!registered.needs_approval).then_some(registered.user_id.as_str());
    open_account(&mut tx, accounts::Owner::Organization(organization_id.as_str()), true, assign_to, now).await?;
    tx.commit().await?;
    Ok(registered)
}

/// REG-7: the active organization of `kind` with this Registry ID, if any.
pub(super) async fn active_organization(
    ctx: &Ctx<'_>,
    kind: OrganizationKind,
    registry_id: &RegistryId,
) -> Result<Option<organizations::Organization>, ServiceError> {
    let mut conn = ctx.state.db.pool().acquire().await?;
    let organization = organizations::find_by_registry_id(&mut conn, registry_id.as_str()).await?;
    Ok(organization.filter(|o| o.status == RecordStatus::Active && o.kind == kind))
}

pub(super) fn unknown_organization(kind: OrganizationKind) -> FieldError {
    FieldError::new("registry_id", format!("We could not find an active {kind} with this Registry ID"))
}

/// REG-6: the organization with a fresh Registry ID, its phone, and its address with both
/// billing and shipping usages.
pub(super) async fn create_organization(
    conn: &mut AnyConnection,
    company: &CompanyDetails,
    kind: OrganizationKind,
    now: i64,
) -> Result<(RegistryId, String), ServiceError> {
    let (registry_id, organization_id) = insert_organization(conn, company, kind, now).await?;
    if let Some(phone) = &company.phone {
        organizations::add_phone(conn, &organization_id, phone.as_str(), &phone.digits(), now).await?;
    }
    let address = organizations::NewAddress {
        line1: &company.address_line1,
        line2: company.address_line2.as_deref(),
        city: &company.city,
        region: company.region.as_deref(),
        postal_code: company.postal_code.as_str(),
        country: company.country.as_str(),
    };
    organizations::add_address(conn, &organization_id, &address, &["billing", "shipping"], now).await?;
    Ok((registry_id, organization_id))
}

/// Inserts the organization with a fresh Registry ID, retrying the rare collision.
async fn insert_organization(
    conn: &mut AnyConnection,
    company: &CompanyDetails,
    kind: OrganizationKind,
    now: i64,
) -> Result<(RegistryId, String), ServiceError> {
    let fresh = organizations::random_registry_id;
    let name = company.name.as_str().to_owned();
    Ok(store::insert_with_fresh_key(conn, Unique::RegistryId, fresh, |conn, id| {
        let name = name.clone();
        Box::pin(async move { organizations::insert(conn, id.as_str(), &name, kind, now).await })
    })
    .await?)
}

pub(super) fn refuse_if_any(errors: Vec<FieldError>) -> Result<(), ServiceError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Validation(errors))
    }
}
