//! SEC-6: Content-Security-Policy (with a per-response nonce for Leptos' inline hydration
//! script), X-Content-Type-Options, Referrer-Policy and frame-ancestors 'none'; HSTS when the
//! portal is served over HTTPS; and `Cache-Control: no-store` wherever a response may carry
//! a signed-in user's data, so no shared or browser cache keeps it after sign-out.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use rand::RngCore;

use app::api::RPC_PREFIX;

use crate::session_store::SESSION_COOKIE;

/// The nonce of this response; the Leptos context hands it to the hydration scripts.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// What the headers depend on besides the request.
#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    /// `GATEHOUSE_PUBLIC_URL` is https: browsers are told to use nothing else.
    pub https: bool,
}

impl HeaderPolicy {
    pub fn for_public_url(public_url: &str) -> Self {
        Self { https: public_url.to_ascii_lowercase().starts_with("https://") }
    }
}

pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

fn new_nonce() -> String {
    let mut bytes = [0_u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; \
         frame-ancestors 'none'"
    )
}

/// Compiled assets and the favicon hold nothing personal and keep their caching.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.ico"
}

/// A content-hashed file never changes under its name: a year, immutable. Any other file is
/// checked again on each use (`Last-Modified` makes that a 304).
pub fn static_cache_control(path: &str) -> &'static str {
    if crate::assets::is_content_hashed(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

fn carries_session_cookie(headers: &HeaderMap) -> bool {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).any(|pair| {
        pair.split_once('=').is_some_and(|(name, value)| name.trim() == SESSION_COOKIE && !value.trim().is_empty())
    })
}

/// No-store for every server function answer, every form post's answer, every response that
/// sets a cookie, and every page requested with a session cookie (it may be a signed-in page;
/// checking the session here would cost a database read per request for little gain).
pub fn must_not_be_stored(method: &Method, path: &str, session_cookie: bool, sets_cookie: bool) -> bool {
    if sets_cookie {
        return true;
    }
    if is_static_asset(path) {
        return false;
    }
    path.starts_with(RPC_PREFIX)
        || crate::api::is_api(path)
        || !matches!(*method, Method::GET | Method::HEAD)
        || session_cookie
}

pub async fn apply(State(policy): State<HeaderPolicy>, mut request: Request, next: Next) -> Response {
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let session_cookie = carries_session_cookie(request.headers());
    let mut response = next.run(request).await;
    let sets_cookie = response.headers().contains_key(header::SET_COOKIE);
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("content-security-policy", content_security_policy(&nonce));
    set("x-content-type-options", "nosniff".into());
    set("referrer-policy", "same-origin".into());
    set("x-frame-options", "DENY".into());
    set("cross-origin-opener-policy", "same-origin".into());
    if policy.https {
        set("strict-transport-security", STRICT_TRANSPORT_SECURITY.into());
    }
    if must_not_be_stored(&method, &path, session_cookie, sets_cookie) {
        set("cache-control", "no-store".into());
    } else if is_static_asset(&path) {
        set("cache-control", static_cache_control(&path).into());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: SEC-6
    #[test]
    fn only_static_assets_without_cookies_and_anonymous_pages_may_be_stored() {
        assert!(must_not_be_stored(&Method::GET, "/", true, false));
        assert!(must_not_be_stored(&Method::POST, "/rpc/auth/current_user", false, false));
        assert!(must_not_be_stored(&Method::GET, "/rpc/admin/approvals", false, false));
        assert!(must_not_be_stored(&Method::POST, "/login", false, false));
        assert!(must_not_be_stored(&Method::GET, "/pkg/gatehouse.css", false, true));
        assert!(!must_not_be_stored(&Method::GET, "/pkg/gatehouse.css", true, false));
        assert!(!must_not_be_stored(&Method::GET, "/register", false, false));
        assert!(must_not_be_stored(&Method::GET, "/api/v1/users", false, false), "API answers hold personal data");
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark; gatehouse_session=abc"));
        assert!(carries_session_cookie(&headers));
        assert!(HeaderPolicy::for_public_url("https://shop.example").https);
        assert!(!HeaderPolicy::for_public_url("http://127.0.0.1:3000").https);
    }
}
