//! Integration users in the console (CON-4): list, create with a generated client secret shown
//! once, edit scopes and sales groups, inactivate and activate, and a new secret. The secret is
//! stored only as an argon2id hash; it is never logged and never in an audit row (SEC-7).
//! Every change is audited with the merchant admin as actor (CON-5).

use serde_json::json;
use sqlx::AnyConnection;

use crate::backend::authz::{MerchantAdmin, Operator};
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::password::hash_unchecked;
use crate::backend::state::AppState;
use crate::backend::store::directory::{self, DirectoryOrganization};
use crate::backend::store::integration_users::{self, IntegrationRecord, IntegrationSummary};
use crate::backend::store::{api_tokens, audit};
use crate::domain::integration::{ClientId, IntegrationAccess, CLIENT_ID_TAKEN};
use crate::domain::RecordStatus;

/// A page of the console's list.
pub const PAGE_SIZE: i64 = 50;
/// How many organizations the sales-group search offers at once.
pub const SEARCH_LIMIT: i64 = 20;

/// A client secret just generated: shown once to the merchant admin, then only its hash
/// exists. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// 256 random bits from the operating system, base64url without padding (43 characters).
    fn generate() -> Self {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret(***)")
    }
}

/// One page of integration users by Client ID after `after`, and whether more follow.
pub async fn list(
    state: &AppState,
    _admin: &MerchantAdmin,
    after: Option<&str>,
) -> Result<(Vec<IntegrationSummary>, bool), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let mut rows = integration_users::list(&mut conn, after, PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    Ok((rows, more))
}

/// An integration user and the organizations of its sales groups (by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationView {
    pub record: IntegrationRecord,
    pub organizations: Vec<DirectoryOrganization>,
}

pub async fn integration(state: &AppState, _admin: &MerchantAdmin, id: &str) -> Result<IntegrationView, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let record = integration_users::find(&mut conn, id).await?.ok_or(ServiceError::NotFound)?;
    let organizations = directory::organizations_by_id(&mut conn, &record.organizations).await?;
    Ok(IntegrationView { record, organizations })
}

/// The sales-group picker: organizations matching `q` (name prefix or Registry ID) and the
/// already chosen ones that exist.
pub async fn organization_choices(
    state: &AppState,
    _admin: &MerchantAdmin,
    q: &str,
    chosen: &[String],
) -> Result<(Vec<DirectoryOrganization>, Vec<DirectoryOrganization>), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let found = directory::find_organizations(&mut conn, q, SEARCH_LIMIT).await?;
    let chosen = directory::organizations_by_id(&mut conn, chosen).await?;
    Ok((found, chosen))
}

/// Every chosen organization must exist (a stale or forged id is refused next to the field).
async fn check_organizations(conn: &mut AnyConnection, access: &IntegrationAccess) -> Result<(), ServiceError> {
    let found = directory::organizations_by_id(conn, &access.organizations).await?;
    if found.len() != access.organizations.len() {
        return Err(ServiceError::field("organizations", "Choose organizations from the list"));
    }
    Ok(())
}

fn client_id_taken(err: StoreError) -> ServiceError {
    match err {
        StoreError::Duplicate(Unique::ClientId) => ServiceError::field("client_id", CLIENT_ID_TAKEN),
        other => other.into(),
    }
}

/// What the audit log keeps of an integration user: never its secret or hash.
fn audited(client_id: &str, name: &str, status: RecordStatus, access: (&[impl ToString], &[String])) -> String {
    let scopes: Vec<String> = access.0.iter().map(ToString::to_string).collect();
    json!({ "client_id": client_id, "name": name, "status": status.to_string(), "scopes": scopes, "organizations": access.1 })
        .to_string()
}

fn audited_record(record: &IntegrationRecord) -> String {
    audited(&record.client_id, &record.name, record.status, (&record.scopes, &record.organizations))
}

/// CON-4: creates an active integration user with a generated client secret, returned once.
pub async fn create(
    state: &AppState,
    admin: &MerchantAdmin,
    client_id: &ClientId,
    access: &IntegrationAccess,
) -> Result<(String, ClientSecret), ServiceError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        let mut errors = Vec::new();
        if integration_users::credentials(&mut conn, client_id.as_str()).await?.is_some() {
            errors.push(crate::domain::FieldError::new("client_id", CLIENT_ID_TAKEN));
        }
        if let Err(ServiceError::Validation(more)) = check_organizations(&mut conn, access).await {
            errors.extend(more);
        }
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
    }
    let secret = ClientSecret::generate();
    let hash = hash_unchecked(&state.hasher, secret.expose().to_owned()).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let id = integration_users::insert(&mut tx, client_id.as_str(), &access.name, hash.as_str(), now)
        .await
        .map_err(client_id_taken)?;
    integration_users::set_groups(&mut tx, &id, &access.scopes, &access.organizations).await?;
    let after =
        audited(client_id.as_str(), &access.name, RecordStatus::Active, (&access.scopes, &access.organizations));
    log(&mut tx, admin, "integration.created", &id, None, Some(&after), now).await?;
    tx.commit().await?;
    tracing::info!(integration_user_id = %id, "integration user created");
    Ok((id, secret))
}

/// Saves the name, scopes and sales groups (the Client ID never changes).
pub async fn update(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    access: &IntegrationAccess,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let before = integration_users::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    check_organizations(&mut tx, access).await?;
    integration_users::rename(&mut tx, id, &access.name, now).await?;
    integration_users::set_groups(&mut tx, id, &access.scopes, &access.organizations).await?;
    let after = audited(&before.client_id, &access.name, before.status, (&access.scopes, &access.organizations));
    log(&mut tx, admin, "integration.updated", id, Some(&audited_record(&before)), Some(&after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// **Inactivate** / **Activate** (CON-4). An inactive integration user's tokens end at once
/// (API-1); activating issues none. Setting the status it already has changes nothing.
pub async fn set_status(
    state: &AppState,
    admin: &MerchantAdmin,
    id: &str,
    status: RecordStatus,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let before = integration_users::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !integration_users::set_status(&mut tx, id, status, now).await? {
        return Ok(());
    }
    if status == RecordStatus::Inactive {
        api_tokens::revoke_all(&mut tx, id).await?;
    }
    let action = match status {
        RecordStatus::Active => "integration.activated",
        RecordStatus::Inactive => "integration.inactivated",
    };
    let (from, to) = (before.status.to_string(), status.to_string());
    log(&mut tx, admin, action, id, Some(&from), Some(&to), now).await?;
    tx.commit().await?;
    Ok(())
}

/// "Generate a new secret": the old secret and every token issued with it stop working.
pub async fn new_secret(state: &AppState, admin: &MerchantAdmin, id: &str) -> Result<ClientSecret, ServiceError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        integration_users::find(&mut conn, id).await?.ok_or(ServiceError::NotFound)?;
    }
    let secret = ClientSecret::generate();
    let hash = hash_unchecked(&state.hasher, secret.expose().to_owned()).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    integration_users::set_secret_hash(&mut tx, id, hash.as_str(), now).await?;
    api_tokens::revoke_all(&mut tx, id).await?;
    log(&mut tx, admin, "integration.secret_replaced", id, None, None, now).await?;
    tx.commit().await?;
    Ok(secret)
}

async fn log(
    conn: &mut AnyConnection,
    admin: &MerchantAdmin,
    action: &str,
    id: &str,
    before: Option<&str>,
    after: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let entry = audit::AuditEntry {
        actor: admin.actor(),
        action,
        subject_type: "integration_user",
        subject_id: id,
        before,
        after,
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(())
}
