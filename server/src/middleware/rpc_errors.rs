//! Server functions answer every `AppError` with 500 (server_fn's default). SEC-1's "busy"
//! must read as 503 with `Retry-After`, as the plain form posts answer it, so browsers,
//! proxies and load balancers see an overload rather than a fault.

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

pub async fn busy_status(request: Request, next: Next) -> Response {
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
    if let Ok(AppError::Busy { .. }) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::SERVICE_UNAVAILABLE;
        parts.headers.insert(header::RETRY_AFTER, HeaderValue::from_static(BUSY_RETRY_AFTER));
    }
    Response::from_parts(parts, Body::from(bytes))
}
