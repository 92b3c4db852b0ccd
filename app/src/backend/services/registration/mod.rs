//! Self-registration (REG): the registrable user types and the registration use cases. Each
//! takes a validated [`Registration`] (the adapters parse and validate the form), checks what
//! only the database can answer (username taken, Registry ID known), and runs one transaction
//! that also queues its e-mail (REG-14, NOT-3).

use sqlx::AnyConnection;

mod kinds;
mod online_access;
mod partial;
mod shared;

use crate::backend::authz::SignedIn;
use crate::backend::error::ServiceError;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::user_types::UserType;
use crate::backend::store::{organizations, user_types};
use crate::domain::{Language, Organization, Registration, RegistrationRules, Submission};

pub use partial::{confirm, confirmation_choices, confirmation_defaults, confirmation_setup};
pub use shared::USERNAME_TAKEN;

/// The registrable user types after the `group_ut` filter of REG-2: unknown or inactive keys
/// are ignored, and when none remain the full list is returned.
pub async fn registrable_types(state: &AppState, group_ut: Option<&str>) -> Result<Vec<UserType>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let all = user_types::list_registrable(&mut conn).await?;
    let wanted: Vec<&str> = group_ut.unwrap_or("").split([':', ',']).map(str::trim).filter(|k| !k.is_empty()).collect();
    let filtered: Vec<UserType> = all.iter().filter(|t| wanted.contains(&t.key.as_str())).cloned().collect();
    Ok(if filtered.is_empty() { all } else { filtered })
}

/// A registrable type and the rules its form is validated by (in the browser and here).
#[derive(Debug, Clone)]
pub struct RegistrationSetup {
    pub user_type: UserType,
    pub rules: RegistrationRules,
}

/// The setup of a registrable type, or `NotFound` when unknown, inactive or not self-service.
pub async fn registration_setup(state: &AppState, key: &str) -> Result<RegistrationSetup, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let user_type = match user_types::find_by_key(&mut conn, key).await? {
        Some(t) if t.is_active && t.is_self_service => t,
        _ => return Err(ServiceError::NotFound),
    };
    let flow = user_type.kind.flow();
    let settings = Settings::load(&mut conn).await?;
    let rules = RegistrationRules {
        flow,
        policy: settings.password_policy(),
        mandate_business_phone: settings.mandate_business_phone,
    };
    Ok(RegistrationSetup { user_type, rules })
}

/// The result of a successful registration.
#[derive(Debug, Clone)]
pub struct Registered {
    pub user_id: String,
    pub needs_approval: bool,
    pub registry_id: Option<String>,
}

/// Registers `submission` (validated with `setup.rules`) as `setup.user_type` (REG-5 … REG-14),
/// or gives online access to existing records (OAA).
pub async fn register(
    state: &AppState,
    setup: &RegistrationSetup,
    submission: Submission,
    language: Language,
) -> Result<Registered, ServiceError> {
    match submission {
        Submission::New(registration) => register_submitted_by(state, setup, *registration, language, None).await,
        Submission::OnlineAccess(claim) => {
            let settings = {
                let mut conn = state.db.pool().acquire().await?;
                Settings::load(&mut conn).await?
            };
            let ctx =
                shared::Ctx { state, settings: &settings, user_type: &setup.user_type, language, submitted_by: None };
            online_access::claim_online_access(&ctx, claim).await
        }
    }
}

/// [`register`] for a registration an integration user submits through the JSON API (API-3):
/// the same rules and transaction; the audit row names the integration user (API-6).
pub async fn register_for_integration(
    state: &AppState,
    integration: &crate::backend::authz::Integration,
    setup: &RegistrationSetup,
    registration: Registration,
    language: Language,
) -> Result<Registered, ServiceError> {
    register_submitted_by(state, setup, registration, language, Some(integration.id())).await
}

async fn register_submitted_by(
    state: &AppState,
    setup: &RegistrationSetup,
    registration: Registration,
    language: Language,
    submitted_by: Option<&str>,
) -> Result<Registered, ServiceError> {
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    let ctx = shared::Ctx { state, settings: &settings, user_type: &setup.user_type, language, submitted_by };
    let Registration { person, organization } = registration;
    match organization {
        Organization::None => kinds::register_individual(&ctx, person).await,
        Organization::New(kind, company) => kinds::register_company(&ctx, person, kind, company).await,
        Organization::Existing(kind, registry_id) => kinds::register_business(&ctx, person, kind, &registry_id).await,
    }
}

/// REG-6: what the confirmation page shows a new company's first user: its name and Registry ID.
pub async fn company_confirmation(
    state: &AppState,
    signed_in: &SignedIn,
) -> Result<Option<(String, String)>, ServiceError> {
    let Some(organization_id) = signed_in.organization_id() else { return Ok(None) };
    let mut conn: sqlx::pool::PoolConnection<sqlx::Any> = state.db.pool().acquire().await?;
    let conn: &mut AnyConnection = &mut conn;
    Ok(organizations::name_and_registry_id(conn, organization_id).await?)
}
