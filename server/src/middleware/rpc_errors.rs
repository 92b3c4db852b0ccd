//! Server functions answer every `AppError` with 500 (server_fn's default). Here each gets the
//! status `AppError::status()` gives it — the same the plain form posts answer with: 422 for
//! field errors, 401, 403, 404, 409 for a lost race (APR-9), and 503 with `Retry-After` for
//! SEC-1's "busy" (and "out of storage space"), so browsers, proxies and load balancers see an overload rather than a fault.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use app::api::{AppError, RPC_PREFIX};

/// Error bodies are small; anything larger is passed on untouched.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// Seconds a client should wait before trying again after "busy".
pub const BUSY_RETRY_AFTER: &str = "5";
/// Seconds to wait after "out of storage space": freeing disk takes an operator.
pub const OUT_OF_SPACE_RETRY_AFTER: &str = "60";

pub async fn error_status(request: Request, next: Next) -> Response {
    let is_rpc = request.uri().path().starts_with(RPC_PREFIX);
    let response = next.run(request).await;
    if !is_rpc || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
        let retry_after = match error {
            AppError::Busy { .. } => Some(BUSY_RETRY_AFTER),
            AppError::OutOfSpace { .. } => Some(OUT_OF_SPACE_RETRY_AFTER),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from_static(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
