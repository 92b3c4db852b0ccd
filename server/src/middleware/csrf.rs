//! SEC-3: every state-changing request (server functions included) must come from this site:
//! a same-origin `Origin` header, or, without one, `Sec-Fetch-Site: same-origin`.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origins besides the request's own host that may post (the public URL).
#[derive(Clone)]
pub struct AllowedOrigin(pub String);

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub fn same_origin(origin: &str, host: Option<&str>, public_origin: &str) -> bool {
    if origin == public_origin {
        return true;
    }
    let Some(host) = host else { return false };
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

pub async fn check(request: Request, next: Next) -> Response {
    // The JSON API (SPEC §13) reads no cookie: a request counts only with a bearer token or
    // client credentials, which a browser never adds on its own, so a cross-site post gains
    // nothing there.
    if is_safe(request.method()) || crate::api::is_api(request.uri().path()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let public = request.extensions().get::<AllowedOrigin>().map(|o| o.0.clone()).unwrap_or_default();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let allowed = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => same_origin(origin, host, &public),
        None => headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("same-origin"),
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %crate::telemetry::loggable_path(request.uri().path()), "cross-origin request refused");
        (StatusCode::FORBIDDEN, "This request did not come from this site and was refused.").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    // covers: SEC-3
    #[test]
    fn only_this_sites_origins_are_same_origin() {
        assert!(same_origin("http://127.0.0.1:3000", Some("127.0.0.1:3000"), "https://shop.example"));
        assert!(same_origin("https://shop.example", Some("internal:8080"), "https://shop.example"));
        assert!(!same_origin("https://evil.example", Some("127.0.0.1:3000"), "https://shop.example"));
        assert!(!same_origin("null", Some("127.0.0.1:3000"), "https://shop.example"));
        assert!(!same_origin("http://127.0.0.1:3000.evil.example", Some("127.0.0.1:3000"), ""));
    }
}
