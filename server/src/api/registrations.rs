//! API-3: `POST /api/v1/registrations` — `user_type` and the fields of that type's form (SPEC
//! §1, same names and rules), through the registration use case the page runs.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::backend::services::integration_api;
use app::backend::AppState;
use app::domain::RegistrationForm;

use super::auth::Client;
use super::extract::ApiJson;
use super::problem::{ApiError, Reference};

/// A registration: the user type's key and its form's fields (REG-5, REG-6, REG-7), e.g.
/// `first_name`, `last_name`, `email`, `phone`, `username`, `password`, `password_confirm`,
/// `marketing_opt_in`, the company fields (`company_name`, `address_line1`, `address_line2`,
/// `city`, `region`, `postal_code`, `country`, `company_phone`) or `registry_id`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({
    "user_type": "company_business", "registry_id": "R-7K4Q2M", "first_name": "Ann", "last_name": "Lee",
    "email": "ann.lee@example.com", "username": "ann.lee", "password": "copper kettle harbor 7",
    "password_confirm": "copper kettle harbor 7", "marketing_opt_in": false
}))]
pub struct RegistrationRequest {
    /// A user type key open for registration (REG-4).
    pub user_type: String,
    /// The form's fields.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub form: RegistrationForm,
}

/// A submitted registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationCreated {
    /// The request awaiting approval; null when the type needs none.
    pub id: Option<String>,
    /// `pending` (awaiting approval, see GET /approvals) or `approved` (active at once).
    #[schema(example = "pending")]
    pub status: &'static str,
    pub user_id: String,
    /// A new company's Registry ID (REG-6).
    pub registry_id: Option<String>,
}

/// Submits a registration.
#[utoipa::path(
    post,
    path = "/registrations",
    tag = "registrations",
    request_body = RegistrationRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a POST safely within 24 hours (API-6)")),
    security(("client_credentials" = ["registrations:write"])),
    responses(
        (status = 201, description = "Submitted", body = RegistrationCreated,
            headers(("Location" = String, description = "The new user"))),
        (status = 422, description = "Invalid fields, by their form names", body = super::problem::Problem,
            content_type = "application/problem+json"),
    )
)]
pub async fn submit_registration(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    Client(client): Client,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> Result<Response, ApiError> {
    let submitted = integration_api::register(&state, &client, &request.user_type, &request.form)
        .await
        .map_err(|e| ApiError::from_service(e, &reference))?;
    let registered = submitted.registered;
    tracing::info!(reference = %reference, user_id = %registered.user_id, "registration submitted through the API");
    let location = format!("/api/v1/users/{}", registered.user_id);
    let body = RegistrationCreated {
        id: submitted.request_id,
        status: if registered.needs_approval { "pending" } else { "approved" },
        user_id: registered.user_id,
        registry_id: registered.registry_id,
    };
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response())
}
