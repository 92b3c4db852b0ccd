//! API-6: a POST carrying `Idempotency-Key` runs once per client and key. A repeat within 24
//! hours gets the first answer again (marked `Idempotent-Replayed: true`) and changes nothing;
//! the same key with another request is refused (422), and a repeat while the first is still
//! running waits for nobody (409). An answer of a failed server (5xx) or of the rate limit is
//! not kept: nothing changed, so a retry runs again.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::backend::authz::Integration;
use app::backend::services::integration_api::{
    claim_idempotency_key, complete_idempotency_key, release_idempotency_key, request_digest, valid_idempotency_key,
};
use app::backend::store::idempotency::Claim;
use app::backend::AppState;

use super::problem::{reference_of, ApiError};

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Requests and answers larger than this are not what this API sends or takes.
const MAX_BYTES: usize = 1024 * 1024;

pub async fn idempotent(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(IDEMPOTENCY_KEY) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let reference = reference_of(&parts);
    let key = parts.headers.get(IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()).unwrap_or("").trim().to_owned();
    if !valid_idempotency_key(&key) {
        return ApiError::bad_request(&reference, "Idempotency-Key", "Use 1 to 255 visible ASCII characters")
            .into_response();
    }
    let (Some(state), Some(client)) =
        (parts.extensions.get::<AppState>().cloned(), parts.extensions.get::<Integration>().cloned())
    else {
        return ApiError::internal(&reference).into_response();
    };
    let Ok(bytes) = to_bytes(body, MAX_BYTES).await else {
        return ApiError::bad_request(&reference, "body", "The body is too large").into_response();
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("");
    let digest = request_digest(parts.method.as_str(), path, &bytes);
    let claim = match claim_idempotency_key(&state, &client, &key, &digest).await {
        Ok(claim) => claim,
        Err(e) => return ApiError::from_service(e, &reference).into_response(),
    };
    match claim {
        Claim::Used(stored) if stored.request_hash != digest => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            "Idempotency-Key used for another request",
            "This Idempotency-Key was first used with a different request; use a new key for a new request.",
            &reference,
        )
        .into_response(),
        Claim::Used(stored) => match stored.status.and_then(|s| StatusCode::from_u16(s as u16).ok()) {
            None => ApiError::new(
                StatusCode::CONFLICT,
                "idempotency-key-in-use",
                "The first request with this Idempotency-Key is still running",
                "Try again in a moment to get its answer.",
                &reference,
            )
            .with_header(header::RETRY_AFTER, "1")
            .into_response(),
            Some(status) => {
                let mut response = (status, stored.response_body.unwrap_or_default()).into_response();
                if let Some(content_type) = stored.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
                }
                response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                response
            }
        },
        Claim::Claimed => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            keep_answer(&state, &client, &key, response, &reference).await
        }
    }
}

/// Stores the answer of the first request with the key (or frees the key when the answer says
/// nothing changed) and passes it on.
async fn keep_answer(
    state: &AppState,
    client: &Integration,
    key: &str,
    response: Response,
    reference: &str,
) -> Response {
    let status = response.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        if let Err(e) = release_idempotency_key(state, client, key).await {
            tracing::error!(reference = %reference, error = %e, "could not release an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BYTES).await else {
        return ApiError::internal(reference).into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = complete_idempotency_key(state, client, key, status.as_u16(), content_type, &text).await {
        tracing::error!(reference = %reference, error = %e, "could not store an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}
