//! The JSON API's use cases (SPEC §13) that are not the pages' own: client-credentials tokens
//! (API-1), reading users and organizations within the sales groups (API-2, API-3, API-4), and
//! idempotency keys (API-6). Registrations and approvals go through the pages' use cases with
//! the [`Integration`] capability.

use crate::backend::authz::{token_hash, Integration, Operator};
use crate::backend::clock::MINUTE_MS;
use crate::backend::error::ServiceError;
use crate::backend::password::PasswordHash;
use crate::backend::services::registration::{register_for_integration, registration_setup, Registered};
use crate::backend::services::sign_in::username_limits;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::directory::{self, DirectoryOrganization, DirectoryUser, UserFilter};
use crate::backend::store::idempotency::{self, Claim};
use crate::backend::store::throttle::{self, Counter};
use crate::backend::store::{api_tokens, integration_users, organizations, requests};
use crate::domain::integration::ApiScope;
use crate::domain::{FieldError, Language, RecordStatus, RegistrationForm, RequestKind};

/// API-1: an access token lives 15 minutes.
pub const TOKEN_LIFETIME_MS: i64 = 15 * MINUTE_MS;
/// API-6: a key's first answer is repeated for 24 hours.
pub const IDEMPOTENCY_LIFETIME_MS: i64 = 24 * 60 * MINUTE_MS;
/// API-4: the default and largest page.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// A bearer token just issued: shown once in the token response, stored only as its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub expires_in_seconds: i64,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken").field("expires_in_seconds", &self.expires_in_seconds).finish_non_exhaustive()
    }
}

/// SEC-4 counts failed client authentications in the per-username counters under this prefix,
/// which no username can carry (REG-8 allows no `:`).
fn client_counter_key(client_id: &str) -> String {
    format!("client:{}", client_id.to_lowercase())
}

/// API-1: client credentials (RFC 6749 §4.4). Wrong credentials, an unknown client and an
/// inactive integration user are one answer (`SignInFailed`: `invalid_client`), each attempt
/// counted before the secret is verified (SEC-4: `Locked` once too many failed).
pub async fn issue_token(state: &AppState, client_id: &str, secret: &str) -> Result<AccessToken, ServiceError> {
    let now = state.now_ms();
    let key = client_counter_key(client_id);
    let credentials = {
        let mut conn = state.db.pool().acquire().await?;
        let settings = Settings::load(&mut conn).await?;
        if !throttle::count_attempt(&mut conn, Counter::Username, &key, now, username_limits(&settings)).await? {
            return Err(ServiceError::Locked);
        }
        integration_users::credentials(&mut conn, client_id).await?
    };
    // No connection is held while argon2 runs; unknown clients cost the same (dummy hash).
    let stored = credentials.as_ref().map(|c| PasswordHash::from_stored(c.secret_hash.clone()));
    let verified = state.hasher.verify(secret.to_owned(), stored.as_ref()).await?;
    let Some(credentials) = credentials.filter(|_| verified) else {
        return Err(ServiceError::SignInFailed);
    };
    let mut conn = state.db.pool().acquire().await?;
    throttle::clear(&mut conn, Counter::Username, &key).await?;
    match credentials.status {
        RecordStatus::Active => {}
        RecordStatus::Inactive => return Err(ServiceError::SignInFailed),
    }
    let token = new_token();
    api_tokens::insert(&mut conn, &token_hash(&token), &credentials.id, now, now + TOKEN_LIFETIME_MS).await?;
    tracing::info!(integration_user_id = %credentials.id, "access token issued");
    Ok(AccessToken { token, expires_in_seconds: TOKEN_LIFETIME_MS / 1000 })
}

/// 256 random bits, base64url without padding.
fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A page size as asked (API-4): default 50, at most 200, at least 1.
pub fn page_limit(asked: Option<i64>) -> i64 {
    asked.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// `GET /api/v1/users`: a page after the id `after` and whether more follow (API-3, API-4).
pub async fn users(
    state: &AppState,
    integration: &Integration,
    filter: &UserFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<DirectoryUser>, bool), ServiceError> {
    integration.require(ApiScope::UsersRead)?;
    let mut conn = state.db.pool().acquire().await?;
    let mut rows = directory::users(&mut conn, filter, integration.sales_of(), after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// `GET /api/v1/users/{id}`: another organization's user is not found, as an unknown id (API-2).
pub async fn user(state: &AppState, integration: &Integration, id: &str) -> Result<DirectoryUser, ServiceError> {
    integration.require(ApiScope::UsersRead)?;
    let mut conn = state.db.pool().acquire().await?;
    directory::user(&mut conn, id)
        .await?
        .filter(|u| integration.reaches(u.organization_id.as_deref()))
        .ok_or(ServiceError::NotFound)
}

/// `GET /api/v1/organizations` (filter `registry_id`).
pub async fn organizations(
    state: &AppState,
    integration: &Integration,
    registry_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<DirectoryOrganization>, bool), ServiceError> {
    integration.require(ApiScope::OrganizationsRead)?;
    let registry_id = registry_id.map(|r| r.trim().to_uppercase());
    let mut conn = state.db.pool().acquire().await?;
    let mut rows =
        directory::organizations(&mut conn, registry_id.as_deref(), integration.sales_of(), after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// `GET /api/v1/organizations/{id}`.
pub async fn organization(
    state: &AppState,
    integration: &Integration,
    id: &str,
) -> Result<DirectoryOrganization, ServiceError> {
    integration.require(ApiScope::OrganizationsRead)?;
    let mut conn = state.db.pool().acquire().await?;
    directory::organization(&mut conn, id)
        .await?
        .filter(|o| integration.reaches(Some(&o.id)))
        .ok_or(ServiceError::NotFound)
}

/// A registration submitted through the API, and its request when it awaits approval.
#[derive(Debug, Clone)]
pub struct ApiRegistration {
    pub registered: Registered,
    pub request_id: Option<String>,
}

/// `POST /api/v1/registrations` (API-3): `user_type` and that type's form, through the same
/// validation and use case as the page (REG-5 … REG-14). A Registry ID outside the sales
/// groups is answered as an unknown one (API-2).
pub async fn register(
    state: &AppState,
    integration: &Integration,
    user_type: &str,
    form: &RegistrationForm,
) -> Result<ApiRegistration, ServiceError> {
    use crate::backend::password::CommonPasswordList;
    integration.require(ApiScope::RegistrationsWrite)?;
    let setup = registration_setup(state, user_type.trim()).await.map_err(|e| match e {
        ServiceError::NotFound => ServiceError::field("user_type", "Choose a user type that is open for registration"),
        other => other,
    })?;
    // Online access is a customer's own proof of identity (OAA), not something an integration
    // submits for them.
    let crate::domain::Submission::New(registration) =
        form.validate(&setup.rules, &CommonPasswordList).map_err(ServiceError::Validation)?
    else {
        return Err(ServiceError::field("user_type", "Choose a user type that is open for registration"));
    };
    if let crate::domain::Organization::Existing(kind, registry_id) = &registration.organization {
        let mut conn = state.db.pool().acquire().await?;
        let organization = organizations::find_by_registry_id(&mut conn, registry_id.as_str()).await?;
        if organization.is_some_and(|o| !integration.reaches(Some(&o.id))) {
            return Err(ServiceError::Validation(vec![FieldError::new(
                "registry_id",
                format!("We could not find an active {kind} with this Registry ID"),
            )]));
        }
    }
    let registered = register_for_integration(state, integration, &setup, *registration, Language::English).await?;
    let request_id = if registered.needs_approval {
        let mut conn = state.db.pool().acquire().await?;
        requests::pending_of_user(&mut conn, &registered.user_id, RequestKind::Registration)
            .await?
            .into_iter()
            .next()
            .map(|r| r.id)
    } else {
        None
    };
    Ok(ApiRegistration { registered, request_id })
}

/// An `Idempotency-Key` header value: 1–255 visible ASCII characters.
pub fn valid_idempotency_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// API-6: claims `key` for the integration user and this request (`request_hash`, a digest of
/// method, path and body), or answers what its first use stored.
pub async fn claim_idempotency_key(
    state: &AppState,
    integration: &Integration,
    key: &str,
    request_hash: &str,
) -> Result<Claim, ServiceError> {
    let now = state.now_ms();
    let mut conn = state.db.pool().acquire().await?;
    Ok(idempotency::claim(&mut conn, integration.id(), key, request_hash, now, now + IDEMPOTENCY_LIFETIME_MS).await?)
}

/// Stores the answer of the request that claimed `key`.
pub async fn complete_idempotency_key(
    state: &AppState,
    integration: &Integration,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<(), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(idempotency::complete(&mut conn, integration.id(), key, status, content_type, body).await?)
}

/// Frees `key` after a request that changed nothing, so that a retry runs.
pub async fn release_idempotency_key(
    state: &AppState,
    integration: &Integration,
    key: &str,
) -> Result<(), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(idempotency::release(&mut conn, integration.id(), key).await?)
}

/// The digest of a request for API-6: method, path and query, and body.
pub fn request_digest(method: &str, path_and_query: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update([0]);
    hasher.update(path_and_query.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: API-4
    #[test]
    fn pages_default_to_50_and_never_exceed_200() {
        assert_eq!(page_limit(None), 50);
        assert_eq!(page_limit(Some(500)), 200);
        assert_eq!(page_limit(Some(0)), 1);
        assert_eq!(page_limit(Some(7)), 7);
    }

    // covers: API-6
    #[test]
    fn idempotency_keys_are_visible_ascii_and_requests_digest_all_their_parts() {
        assert!(valid_idempotency_key("4f1c-retry-1"));
        assert!(!valid_idempotency_key(""));
        assert!(!valid_idempotency_key("has space"));
        assert!(!valid_idempotency_key(&"k".repeat(256)));
        let a = request_digest("POST", "/api/v1/users", b"{}");
        assert_eq!(a, request_digest("POST", "/api/v1/users", b"{}"));
        assert_ne!(a, request_digest("POST", "/api/v1/users", b"{ }"));
        assert_ne!(a, request_digest("POST", "/api/v1/registrations", b"{}"));
    }

    #[test]
    fn a_token_never_shows_in_debug_output() {
        let token = AccessToken { token: "s3cr3t-token".into(), expires_in_seconds: 900 };
        assert!(!format!("{token:?}").contains("s3cr3t"));
    }

    // covers: SEC-4
    #[test]
    fn client_counters_cannot_collide_with_usernames() {
        assert_eq!(client_counter_key("CPQ"), "client:cpq");
        assert!(crate::domain::Username::parse("client:cpq").is_err());
    }
}
