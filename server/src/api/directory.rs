//! API-3: users and organizations, read within the integration user's sales groups (API-2: an
//! organization outside them, or its user, answers 404 as an unknown id), in pages (API-4).

use axum::extract::Path;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::backend::services::integration_api::{self, page_limit};
use app::backend::store::directory::{DirectoryOrganization, DirectoryUser, UserFilter};
use app::backend::AppState;
use app::domain::UserStatus;

use super::auth::Client;
use super::extract::{cursor_key, encode_cursor, rfc3339, ApiQuery};
use super::problem::{ApiError, Reference};

/// A user (a login) as the API shows one.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    /// `pending`, `active`, `inactive`, `rejected` or `deleted`.
    #[schema(example = "active")]
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// The user's organization; none for an individual.
    pub organization_id: Option<String>,
    /// The user type's key (REG-4).
    #[schema(example = "company_business")]
    pub user_type: Option<String>,
    /// RFC 3339.
    pub start_at: Option<String>,
    pub end_at: Option<String>,
    pub created_at: String,
}

impl From<DirectoryUser> for User {
    fn from(u: DirectoryUser) -> Self {
        Self {
            id: u.id,
            username: u.username,
            status: u.status.to_string(),
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email,
            organization_id: u.organization_id,
            user_type: u.user_type,
            start_at: u.start_at.map(rfc3339),
            end_at: u.end_at.map(rfc3339),
            created_at: rfc3339(u.created_at),
        }
    }
}

/// A page of users (API-4).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The filters and paging of `GET /users`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Exact username, any case.
    pub username: Option<String>,
    /// Exact e-mail address, any case.
    pub email: Option<String>,
    pub organization_id: Option<String>,
    /// `pending`, `active`, `inactive`, `rejected` or `deleted`.
    pub status: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page: default 50, at most 200.
    pub limit: Option<i64>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Lists users.
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    params(UserQuery),
    security(("client_credentials" = ["users:read"])),
    responses((status = 200, description = "A page of users, by id", body = UserPage))
)]
pub async fn list_users(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> Result<Json<UserPage>, ApiError> {
    let status = match non_empty(query.status) {
        None => None,
        Some(s) => Some(s.parse::<UserStatus>().map_err(|_| {
            ApiError::bad_request(&reference, "status", "Use pending, active, inactive, rejected or deleted")
        })?),
    };
    let filter = UserFilter {
        username: non_empty(query.username),
        email: non_empty(query.email),
        organization_id: non_empty(query.organization_id),
        status,
    };
    let after = cursor_key(query.cursor.as_deref(), &reference)?;
    let (rows, more) = integration_api::users(&state, &client, &filter, after.as_deref(), page_limit(query.limit))
        .await
        .map_err(|e| ApiError::from_service(e, &reference))?;
    let next_cursor = more.then(|| rows.last().map(|u| encode_cursor(&u.id))).flatten();
    Ok(Json(UserPage { items: rows.into_iter().map(User::from).collect(), next_cursor }))
}

/// Reads one user.
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    security(("client_credentials" = ["users:read"])),
    responses((status = 200, description = "The user", body = User))
)]
pub async fn get_user(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiError> {
    let user = integration_api::user(&state, &client, &id).await.map_err(|e| ApiError::from_service(e, &reference))?;
    Ok(Json(user.into()))
}

/// An organization (a customer company) as the API shows one.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: String,
    #[schema(example = "R-7K4Q2M")]
    pub registry_id: String,
    pub name: String,
    pub is_partner: bool,
    /// `active` or `inactive`.
    #[schema(example = "active")]
    pub status: String,
    pub created_at: String,
}

impl From<DirectoryOrganization> for Organization {
    fn from(o: DirectoryOrganization) -> Self {
        Self {
            is_partner: o.kind.is_partner(),
            id: o.id,
            registry_id: o.registry_id,
            name: o.name,
            status: o.status.to_string(),
            created_at: rfc3339(o.created_at),
        }
    }
}

/// A page of organizations (API-4).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<Organization>,
    pub next_cursor: Option<String>,
}

/// The filter and paging of `GET /organizations`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Exact Registry ID (REG-6).
    pub registry_id: Option<String>,
    pub cursor: Option<String>,
    /// Items per page: default 50, at most 200.
    pub limit: Option<i64>,
}

/// Lists organizations.
#[utoipa::path(
    get,
    path = "/organizations",
    tag = "organizations",
    params(OrganizationQuery),
    security(("client_credentials" = ["organizations:read"])),
    responses((status = 200, description = "A page of organizations, by id", body = OrganizationPage))
)]
pub async fn list_organizations(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<OrganizationPage>, ApiError> {
    let after = cursor_key(query.cursor.as_deref(), &reference)?;
    let registry_id = non_empty(query.registry_id);
    let (rows, more) = integration_api::organizations(
        &state,
        &client,
        registry_id.as_deref(),
        after.as_deref(),
        page_limit(query.limit),
    )
    .await
    .map_err(|e| ApiError::from_service(e, &reference))?;
    let next_cursor = more.then(|| rows.last().map(|o| encode_cursor(&o.id))).flatten();
    Ok(Json(OrganizationPage { items: rows.into_iter().map(Organization::from).collect(), next_cursor }))
}

/// Reads one organization.
#[utoipa::path(
    get,
    path = "/organizations/{id}",
    tag = "organizations",
    params(("id" = String, Path, description = "The organization's id")),
    security(("client_credentials" = ["organizations:read"])),
    responses((status = 200, description = "The organization", body = Organization))
)]
pub async fn get_organization(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
) -> Result<Json<Organization>, ApiError> {
    let organization =
        integration_api::organization(&state, &client, &id).await.map_err(|e| ApiError::from_service(e, &reference))?;
    Ok(Json(organization.into()))
}
