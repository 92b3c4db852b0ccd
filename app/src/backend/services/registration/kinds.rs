//! The registration use cases by kind of user type: individual (REG-5), user of an existing
//! company or partner (REG-7), and a new company or partner with its first user (REG-6).

use sqlx::AnyConnection;

use super::{
    add_user, field, insert_person, is_unique_violation, open_account, open_individual_account, validate_person,
};
use super::{Ctx, Fields, NewRegistrant, Registered};
use crate::backend::error::ServiceError;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::user_types::UserType;
use crate::backend::store::{accounts, organizations};
use crate::domain::{validate_company, CompanyDetails, FieldError, Language, RegistryId};

/// REG-5: an individual. With no approval the user is active at once and gets an account;
/// with an approval definition the user waits, reserved, as pending (REG-8, REG-13).
pub(super) async fn register_individual(
    state: &AppState,
    user_type: &UserType,
    settings: &Settings,
    fields: &Fields,
    language: Language,
) -> Result<Registered, ServiceError> {
    let r = validate_person(state, settings, fields, Vec::new(), false).await?;
    let hash = state.hasher.hash(&r.password).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let person_id = insert_person(&mut tx, &r, language, "personal", now).await?;
    let who = NewRegistrant {
        user_type,
        person_id: &person_id,
        organization_id: None,
        contact_id: None,
        created_organization_id: None,
        registry_id: None,
    };
    let registered = add_user(&Ctx { state, settings, language, now }, &mut tx, &r, hash.as_str(), &who).await?;
    if !registered.needs_approval {
        open_individual_account(&mut tx, &person_id, &registered.user_id, now).await?;
    }
    tx.commit().await?;
    Ok(registered)
}

/// REG-7: a user of an existing company (or partner), identified by its Registry ID. The
/// user waits for the company's primary users; the contact is "employee of" the company.
pub(super) async fn register_business(
    state: &AppState,
    user_type: &UserType,
    settings: &Settings,
    fields: &Fields,
    language: Language,
) -> Result<Registered, ServiceError> {
    let wants_partner = user_type.kind == "partner_business";
    let mut errors = Vec::new();
    let organization = match RegistryId::parse(field(fields, "registry_id")) {
        Err(e) => {
            errors.push(FieldError::new("registry_id", e.to_string()));
            None
        }
        Ok(registry_id) => {
            let mut conn = state.db.pool().acquire().await?;
            match organizations::find_by_registry_id(&mut conn, registry_id.as_str()).await? {
                Some(org) if org.status == "active" && (org.is_partner != 0) == wants_partner => Some(org),
                _ => {
                    let kind = if wants_partner { "partner" } else { "company" };
                    errors.push(FieldError::new(
                        "registry_id",
                        format!("We could not find an active {kind} with this Registry ID"),
                    ));
                    None
                }
            }
        }
    };
    let r = validate_person(state, settings, fields, errors, settings.mandate_business_phone).await?;
    let organization =
        organization.ok_or_else(|| ServiceError::Internal("organization missing after validation".into()))?;
    let hash = state.hasher.hash(&r.password).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let person_id = insert_person(&mut tx, &r, language, "business", now).await?;
    let contact_id =
        organizations::insert_contact(&mut tx, &person_id, &organization.id, "employee_of", None, now).await?;
    let who = NewRegistrant {
        user_type,
        person_id: &person_id,
        organization_id: Some(&organization.id),
        contact_id: Some(&contact_id),
        created_organization_id: None,
        registry_id: None,
    };
    let registered = add_user(&Ctx { state, settings, language, now }, &mut tx, &r, hash.as_str(), &who).await?;
    tx.commit().await?;
    Ok(registered)
}

/// REG-6: a new company (or partner) and its first user, a primary user. The organization gets
/// a unique Registry ID, its first financial account (the company's primary account), and the
/// address with both billing and shipping usages.
pub(super) async fn register_company(
    state: &AppState,
    user_type: &UserType,
    settings: &Settings,
    fields: &Fields,
    language: Language,
) -> Result<Registered, ServiceError> {
    let is_partner = user_type.kind == "partner_admin";
    let company = validate_company(|name| field(fields, name).to_owned(), settings.mandate_business_phone);
    let errors = company.as_ref().err().cloned().unwrap_or_default();
    let r = validate_person(state, settings, fields, errors, false).await?;
    let company = company.map_err(ServiceError::Validation)?;
    let hash = state.hasher.hash(&r.password).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (organization_id, registry_id) = insert_organization(&mut tx, &company, is_partner, now).await?;
    if let Some(phone) = &company.phone {
        organizations::add_phone(&mut tx, &organization_id, phone.as_str(), &phone.digits(), now).await?;
    }
    let address = organizations::NewAddress {
        line1: &company.address_line1,
        line2: company.address_line2.as_deref(),
        city: &company.city,
        region: company.region.as_deref(),
        postal_code: company.postal_code.as_str(),
        country: company.country.as_str(),
    };
    organizations::add_address(&mut tx, &organization_id, &address, &["billing", "shipping"], now).await?;
    let person_id = insert_person(&mut tx, &r, language, "business", now).await?;
    let contact_id =
        organizations::insert_contact(&mut tx, &person_id, &organization_id, "employee_of", None, now).await?;
    let who = NewRegistrant {
        user_type,
        person_id: &person_id,
        organization_id: Some(&organization_id),
        contact_id: Some(&contact_id),
        created_organization_id: Some(&organization_id),
        registry_id: Some(&registry_id),
    };
    let registered = add_user(&Ctx { state, settings, language, now }, &mut tx, &r, hash.as_str(), &who).await?;
    let assign_to = (!registered.needs_approval).then_some(registered.user_id.as_str());
    open_account(&mut tx, accounts::Owner::Organization(&organization_id), true, assign_to, now).await?;
    tx.commit().await?;
    Ok(registered)
}

/// Inserts the organization with a fresh Registry ID, retrying the rare collision.
async fn insert_organization(
    conn: &mut AnyConnection,
    company: &CompanyDetails,
    is_partner: bool,
    now: i64,
) -> Result<(String, String), ServiceError> {
    use rand::RngCore;
    for _ in 0..5 {
        let mut bytes = [0_u8; 6];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let registry_id = RegistryId::from_random_bytes(bytes);
        sqlx::query("SAVEPOINT new_organization").execute(&mut *conn).await?;
        match organizations::insert(conn, registry_id.as_str(), company.name.as_str(), is_partner, now).await {
            Ok(id) => {
                sqlx::query("RELEASE SAVEPOINT new_organization").execute(&mut *conn).await?;
                return Ok((id, registry_id.as_str().to_owned()));
            }
            Err(e) if is_unique_violation(&e) => {
                sqlx::query("ROLLBACK TO SAVEPOINT new_organization").execute(&mut *conn).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServiceError::Internal("could not allocate a Registry ID".into()))
}
