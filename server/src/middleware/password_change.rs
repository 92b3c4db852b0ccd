//! LOG-3: a user whose password is temporary or expired can do nothing else until it is
//! changed. Every page request of such a user is redirected to `/password/change` on the
//! server, before any page renders (so it holds without JavaScript, and no page hydrates into
//! a state the server did not render). Server functions are refused by the capability checks.

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use app::api::ssr::session_user_id;
use app::api::RPC_PREFIX;
use app::backend::{authz, AppState};

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
    if !is_gated_page(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let (Some(session), Some(state)) =
        (request.extensions().get::<Session>().cloned(), request.extensions().get::<AppState>().cloned())
    else {
        return next.run(request).await;
    };
    if let Some(user_id) = session_user_id(&session, &state).await {
        if let Ok(Some(user)) = authz::current_user(&state, &user_id).await {
            if user.must_change_password {
                return Redirect::to(CHANGE_PATH).into_response();
            }
        }
    }
    next.run(request).await
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
        assert!(!is_gated_page(&Method::POST, "/logout"));
        assert!(!is_gated_page(&Method::GET, "/readyz"));
    }
}
