//! API-1: `POST /api/v1/token`, the OAuth 2.0 client credentials grant (RFC 6749 §4.4): HTTP
//! Basic client authentication (§2.3.1) and `grant_type=client_credentials`. Errors are the
//! JSON of RFC 6749 §5.2 (`error`, `error_description`) carrying the problem members of API-5
//! too, so OAuth clients and problem readers both understand them.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::backend::services::integration_api::issue_token;
use app::backend::{AppState, ServiceError};

use super::problem::{ApiError, Problem, Reference};

/// The form body of a token request.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: Option<String>,
    /// Ignored: a token carries the integration user's scopes (its admin groups).
    pub scope: Option<String>,
}

/// A token answer (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token stops working.
    #[schema(example = 900)]
    pub expires_in: i64,
}

/// A refused token request: RFC 6749 §5.2's members and the problem's (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenError {
    #[schema(example = "invalid_client")]
    pub error: &'static str,
    pub error_description: String,
    #[serde(flatten)]
    pub problem: Problem,
}

fn refuse(status: StatusCode, error: &'static str, description: &str, reference: &str) -> Response {
    let problem = *ApiError::new(status, error, "The token request was refused", description, reference).problem;
    let body = TokenError { error, error_description: description.to_owned(), problem };
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Basic realm=\"gatehouse\""));
    }
    response
}

/// Percent-decoding of one credential (RFC 6749 §2.3.1 form-encodes them before Basic).
fn form_decoded(part: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_html_form::from_str(&format!("v={part}")).ok()?;
    pairs.into_iter().next().map(|(_, v)| v)
}

/// The client ID and secret of an `Authorization: Basic …` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decoded(id)?, form_decoded(secret)?))
}

/// Issues an access token for the client's credentials.
#[utoipa::path(
    post,
    path = "/token",
    tag = "authentication",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    security(("client_secret_basic" = [])),
    responses(
        (status = 200, description = "A bearer token, valid for 15 minutes", body = TokenResponse),
        (status = 400, description = "`invalid_request` or `unsupported_grant_type`", body = TokenError),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret or inactive integration user",
            body = TokenError, headers(("WWW-Authenticate" = String, description = "Basic realm=\"gatehouse\""))),
        (status = 429, description = "Too many failed attempts from this client or address (SEC-4)", body = TokenError,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn token(
    Extension(state): Extension<AppState>,
    Reference(reference): Reference,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(form) = serde_html_form::from_bytes::<TokenRequest>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", "The body must be a form.", &reference);
    };
    match form.grant_type.as_deref().map(str::trim) {
        Some("client_credentials") => {}
        None | Some("") => {
            return refuse(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is missing.", &reference)
        }
        Some(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported.",
                &reference,
            )
        }
    }
    let Some((client_id, secret)) = basic_credentials(&headers) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Authenticate with HTTP Basic: client ID and client secret.",
            &reference,
        );
    };
    match issue_token(&state, &client_id, &secret).await {
        Ok(token) => {
            let body =
                TokenResponse { access_token: token.token, token_type: "Bearer", expires_in: token.expires_in_seconds };
            let mut response = (StatusCode::OK, Json(body)).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            headers.insert(header::PRAGMA, header::HeaderValue::from_static("no-cache"));
            response
        }
        Err(ServiceError::SignInFailed) => refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The client ID or secret is wrong, or the integration user is inactive.",
            &reference,
        ),
        Err(ServiceError::Locked) => {
            let mut response = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "invalid_client",
                "Too many failed attempts. Wait a while and try again.",
                &reference,
            );
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
            response
        }
        Err(other) => ApiError::from_service(other, &reference).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: API-1
    #[test]
    fn basic_credentials_are_decoded_and_form_decoded() {
        let mut headers = HeaderMap::new();
        let encoded = base64::engine::general_purpose::STANDARD.encode("cpq-prod:s3cret%2Bx");
        headers.insert(header::AUTHORIZATION, format!("Basic {encoded}").parse().unwrap());
        assert_eq!(basic_credentials(&headers), Some(("cpq-prod".into(), "s3cret+x".into())));
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(basic_credentials(&headers), None);
        headers.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert_eq!(basic_credentials(&headers), None);
    }
}
