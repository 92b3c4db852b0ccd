//! API-3 `users:write`: a bare user (CON-3), Disable, Enable and Delete, through the console's
//! use cases with the integration user as the operator — its sales groups limit whom it reaches
//! (API-2: another organization's user is not found) and the audit log names it (API-6).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::backend::services::console::users::{create_bare_user, delete_user, disable_user, enable_user, Disabled};
use app::backend::AppState;
use app::domain::console_user::{BareUserForm, DisableForm, JustificationForm};
use app::domain::integration::ApiScope;

use super::auth::Client;
use super::extract::{ApiJson, ApiQuery};
use super::problem::{ApiError, Reference};

/// A bare user (CON-3): they complete their registration later (PAR-1).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BareUserRequest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub username: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserCreated {
    pub id: String,
}

/// What a lifecycle change left the user as.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserLifecycle {
    pub id: String,
    /// `active`, `inactive` or `deleted`.
    #[schema(example = "inactive")]
    pub status: &'static str,
    /// A future Effective date of a Disable (YYYY-MM-DD); the user stays active until then.
    pub disable_on: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DisableRequest {
    /// YYYY-MM-DD; empty or today: at once, and the user's sessions end.
    pub effective_date: String,
    pub justification: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EnableRequest {
    pub justification: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Why the user is deleted (required, kept in the audit log).
    pub justification: Option<String>,
}

fn fail(reference: &str) -> impl Fn(app::backend::ServiceError) -> ApiError + '_ {
    move |e| ApiError::from_service(e, reference)
}

/// Creates a bare user.
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    request_body = BareUserRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)")),
    security(("client_credentials" = ["users:write"])),
    responses(
        (status = 201, description = "Created", body = UserCreated, headers(("Location" = String, description = "The new user"))),
        (status = 422, description = "Invalid fields", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_user(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    ApiJson(body): ApiJson<BareUserRequest>,
) -> Result<Response, ApiError> {
    client.require(ApiScope::UsersWrite).map_err(fail(&reference))?;
    let form = BareUserForm {
        first_name: body.first_name,
        last_name: body.last_name,
        email: body.email,
        username: body.username,
    };
    let bare = form.validate().map_err(|fields| ApiError::validation(&reference, fields))?;
    let id = create_bare_user(&state, &client, &bare).await.map_err(fail(&reference))?;
    let location = format!("/api/v1/users/{id}");
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(UserCreated { id })).into_response())
}

/// Disables a user, at once or on a future Effective date.
#[utoipa::path(
    post,
    path = "/users/{id}/disable",
    tag = "users",
    params(("id" = String, Path, description = "The user's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)")),
    request_body = DisableRequest,
    security(("client_credentials" = ["users:write"])),
    responses(
        (status = 200, description = "Disabled, or scheduled", body = UserLifecycle),
        (status = 409, description = "The user is not active", body = super::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn disable(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisableRequest>,
) -> Result<Json<UserLifecycle>, ApiError> {
    client.require(ApiScope::UsersWrite).map_err(fail(&reference))?;
    let form = DisableForm { effective_date: body.effective_date, justification: body.justification };
    let disable = form.validate().map_err(|fields| ApiError::validation(&reference, fields))?;
    let outcome = disable_user(&state, &client, &id, &disable).await.map_err(fail(&reference))?;
    Ok(Json(match outcome {
        Disabled::Now => UserLifecycle { id, status: "inactive", disable_on: None },
        Disabled::Scheduled(day) => UserLifecycle { id, status: "active", disable_on: Some(day.iso()) },
    }))
}

/// Enables an inactive user (or drops a scheduled Disable).
#[utoipa::path(
    post,
    path = "/users/{id}/enable",
    tag = "users",
    params(("id" = String, Path, description = "The user's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)")),
    request_body(content = EnableRequest, description = "Optional"),
    security(("client_credentials" = ["users:write"])),
    responses(
        (status = 200, description = "Active", body = UserLifecycle),
        (status = 409, description = "The user cannot be enabled", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enable(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EnableRequest>,
) -> Result<Json<UserLifecycle>, ApiError> {
    client.require(ApiScope::UsersWrite).map_err(fail(&reference))?;
    let justification = JustificationForm { justification: body.justification }
        .optional()
        .map_err(|fields| ApiError::validation(&reference, fields))?;
    enable_user(&state, &client, &id, justification.as_ref()).await.map_err(fail(&reference))?;
    Ok(Json(UserLifecycle { id, status: "active", disable_on: None }))
}

/// Deletes a user: the username is released; the person and the history stay.
#[utoipa::path(
    delete,
    path = "/users/{id}",
    tag = "users",
    params(("id" = String, Path, description = "The user's id"), DeleteQuery),
    security(("client_credentials" = ["users:write"])),
    responses(
        (status = 200, description = "Deleted", body = UserLifecycle),
        (status = 409, description = "Deleted already", body = super::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The justification is missing", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> Result<Json<UserLifecycle>, ApiError> {
    client.require(ApiScope::UsersWrite).map_err(fail(&reference))?;
    let justification = JustificationForm { justification: query.justification.unwrap_or_default() }
        .required()
        .map_err(|fields| ApiError::validation(&reference, fields))?;
    delete_user(&state, &client, &id, &justification).await.map_err(fail(&reference))?;
    Ok(Json(UserLifecycle { id, status: "deleted", disable_on: None }))
}
