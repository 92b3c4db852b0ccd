//! API-5: every error of the JSON API is `application/problem+json` (RFC 9457) with `type`,
//! `title`, `status`, `detail`, the request's reference code (LOG-1) and, for validation, the
//! `errors` of the fields by the form's field names.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use app::api::ssr::RequestRef;
use app::backend::ServiceError;
use app::domain::{ConflictCode, FieldError};

use crate::middleware::rpc_errors::OUT_OF_SPACE_RETRY_AFTER;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem (relative to the API).
    #[serde(rename = "type")]
    #[schema(example = "/api/v1/problems/validation")]
    pub kind: String,
    #[schema(example = "Your request has invalid fields")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    pub detail: String,
    /// The request's reference code, also in the server's log line of the request.
    #[schema(example = "7K4Q2M9X")]
    pub reference: String,
    /// Validation errors, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
}

/// One field's problem, named as in the form (SPEC §1 field names).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    #[schema(example = "username")]
    pub field: String,
    #[schema(example = "Username already used")]
    pub message: String,
}

/// An error answer of the API: a problem and the headers that go with it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// Boxed: errors travel in `Result`s, which stay small.
    pub problem: Box<Problem>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>, reference: &str) -> Self {
        Self {
            problem: Box::new(Problem {
                kind: format!("/api/v1/problems/{kind}"),
                title: title.to_owned(),
                status: status.as_u16(),
                detail: detail.into(),
                reference: reference.to_owned(),
                errors: None,
            }),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// 401: no bearer token, or one that is unknown, expired, or of an inactive integration
    /// user (API-1).
    pub fn unauthorized(reference: &str, had_token: bool) -> Self {
        let challenge = if had_token {
            "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"The access token is not valid\""
        } else {
            "Bearer realm=\"gatehouse\""
        };
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            "Send a valid access token from POST /api/v1/token as `Authorization: Bearer <token>`.",
            reference,
        )
        .with_header(header::WWW_AUTHENTICATE, challenge)
    }

    pub fn forbidden(reference: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Outside your scopes",
            "The integration user's admin groups do not include the scope this call needs.",
            reference,
        )
    }

    pub fn not_found(reference: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", "There is nothing here for you.", reference)
    }

    pub fn method_not_allowed(reference: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "This resource does not answer that method.",
            reference,
        )
    }

    pub fn bad_request(reference: &str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut error =
            Self::new(StatusCode::BAD_REQUEST, "bad-request", "The request could not be read", &message, reference);
        error.problem.errors = Some(vec![ProblemField { field: field.to_owned(), message }]);
        error
    }

    pub fn validation(reference: &str, fields: Vec<FieldError>) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Your request has invalid fields",
            "Correct the fields listed in `errors`.",
            reference,
        );
        error.problem.errors =
            Some(fields.into_iter().map(|f| ProblemField { field: f.field, message: f.message }).collect());
        error
    }

    pub fn conflict(reference: &str, code: ConflictCode) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", code.message(), reference)
    }

    pub fn too_many_requests(reference: &str, retry_after_seconds: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            "This client sent too many requests. Wait as long as Retry-After says, then try again.",
            reference,
        )
        .with_header(header::RETRY_AFTER, &retry_after_seconds.max(1).to_string())
    }

    pub fn internal(reference: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side",
            "Nothing was changed. Try again; if it keeps failing, quote the reference.",
            reference,
        )
    }

    /// Every hasher busy, or the database unavailable for a moment: nothing was changed.
    fn busy(reference: &str) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "The server is busy", "Try again in a moment.", reference)
            .with_header(header::RETRY_AFTER, "5")
    }

    /// The database has no room to write (a full disk): nothing was saved, and retrying at
    /// once will not help, so clients are asked to wait a minute.
    fn out_of_space(reference: &str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "out-of-space",
            "The server is out of storage space",
            "Nothing was changed. Try again later.",
            reference,
        )
        .with_header(header::RETRY_AFTER, OUT_OF_SPACE_RETRY_AFTER)
    }

    /// What a use case's error answers; internal detail goes to the log, never to the client.
    pub fn from_service(err: ServiceError, reference: &str) -> Self {
        match err {
            ServiceError::Validation(fields) => Self::validation(reference, fields),
            // No API call takes a customer's session; both are answered as a refusal.
            ServiceError::Forbidden | ServiceError::IncompleteRegistration | ServiceError::OnlineAccess(_) => {
                Self::forbidden(reference)
            }
            ServiceError::NotFound => Self::not_found(reference),
            ServiceError::Conflict(code) => Self::conflict(reference, code),
            ServiceError::Unauthenticated
            | ServiceError::SignInFailed
            | ServiceError::AwaitingApproval
            | ServiceError::AccessNotActive => Self::unauthorized(reference, true),
            ServiceError::Locked => Self::too_many_requests(reference, 60),
            ServiceError::Busy => Self::busy(reference),
            ServiceError::Store(e) if e.is_out_of_space() => {
                tracing::error!(reference = %reference, error = %e, "database out of space");
                Self::out_of_space(reference)
            }
            ServiceError::Store(e) if e.is_unavailable() => {
                tracing::warn!(reference = %reference, error = %e, "database unavailable");
                Self::busy(reference)
            }
            ServiceError::Store(e) => {
                tracing::error!(reference = %reference, error = %e, "store error");
                Self::internal(reference)
            }
            ServiceError::Internal(e) => {
                tracing::error!(reference = %reference, error = %e, "internal error");
                Self::internal(reference)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_string(&self.problem).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response();
        response.headers_mut().extend(self.headers);
        response
    }
}

/// The request's reference code (LOG-1), for handlers.
#[derive(Debug, Clone)]
pub struct Reference(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Reference {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(reference_of(parts)))
    }
}

pub fn reference_of(parts: &Parts) -> String {
    parts.extensions.get::<RequestRef>().map(|r| r.0.clone()).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: API-5
    #[test]
    fn a_problem_has_the_rfc_9457_members_the_reference_and_field_errors() {
        let error = ApiError::validation("ABC", vec![FieldError::new("username", "Username already used")]);
        let json = serde_json::to_value(&error.problem).unwrap();
        assert_eq!(json["type"], "/api/v1/problems/validation");
        assert_eq!(json["status"], 422);
        assert_eq!(json["reference"], "ABC");
        assert_eq!(json["errors"][0]["field"], "username");
        assert!(json["title"].is_string() && json["detail"].is_string());
        let plain = serde_json::to_value(&ApiError::not_found("X").problem).unwrap();
        assert!(plain.get("errors").is_none());
        let response = ApiError::unauthorized("X", false).into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        assert!(response.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));
    }
}
