//! LOG-3: a user whose password is temporary or expired can do nothing else until it is
//! changed. Every page request of such a user is redirected to `/password/change` on the
//! server, before any page renders (so it holds without JavaScript, and no page hydrates into
//! a state the server did not render). Server functions are refused by the capability checks.

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use app::api::capability::caller_of;
use app::api::RPC_PREFIX;
use app::backend::authz::CallerCache;

pub const CHANGE_PATH: &str = "/password/change";

/// Page requests only: not the change page itself, assets, health checks or server functions.
fn is_gated_page(method: &Method, path: &str) -> bool {
    *method == Method::GET
        && path != CHANGE_PATH
        && !path.starts_with("/pkg/")
        && !path.starts_with(RPC_PREFIX)
        && !matches!(path, "/healthz" | "/readyz" | "/favicon.ico")
}

pub async fn gate(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    // Every request gets its caller cache here; the render and server functions reuse the load.
    parts.extensions.insert(CallerCache::default());
    if is_gated_page(&parts.method, parts.uri.path()) {
        if let Ok(Some(caller)) = caller_of(&mut parts).await {
            if caller.must_change_password() {
                return Redirect::to(CHANGE_PATH).into_response();
            }
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: LOG-3
    #[test]
    fn only_page_requests_other_than_the_change_page_are_gated() {
        assert!(is_gated_page(&Method::GET, "/admin/approvals"));
        assert!(is_gated_page(&Method::GET, "/"));
        assert!(!is_gated_page(&Method::GET, "/password/change"));
        assert!(!is_gated_page(&Method::GET, "/pkg/gatehouse.js"));
        assert!(!is_gated_page(&Method::POST, "/rpc/auth/current_user"));
        assert!(!is_gated_page(&Method::POST, "/logout"));
        assert!(!is_gated_page(&Method::GET, "/readyz"));
    }
}
