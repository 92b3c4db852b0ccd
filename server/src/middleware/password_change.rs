//! LOG-3: a user whose password is temporary or expired can do nothing else until it is
//! changed. Every page request of such a user is redirected to `/password/change` on the
//! server, before any page renders (so it holds without JavaScript, and no page hydrates into
//! a state the server did not render). Server functions are refused by the capability checks.
//!
//! PAR-1: the same gate sends a user whose customer record is incomplete from every secure
//! page (profile, company administration, console) to `/register/confirm`, remembering the
//! page in `ref`; one whose confirmation awaits approval to the pending page. Their server
//! functions are refused by the capabilities (`Caller::signed_in`).

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use app::api::capability::caller_of;
use app::api::register::submit::PENDING_PATH;
use app::api::RPC_PREFIX;
use app::backend::authz::CallerCache;
use app::domain::{with_ref, Completeness};

pub const CHANGE_PATH: &str = "/password/change";
pub const CONFIRM_PATH: &str = "/register/confirm";

/// The pages that need a complete customer record (PAR-1); everything else is public.
const SECURE_PAGES: &[&str] = &["/profile", "/admin", "/console", "/company"];

fn is_secure_page(path: &str) -> bool {
    SECURE_PAGES
        .iter()
        .any(|prefix| path == *prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')))
}

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
            if is_secure_page(parts.uri.path()) {
                match caller.completeness() {
                    Completeness::Complete => {}
                    Completeness::Partial(_) => {
                        let asked = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                        return Redirect::to(&with_ref(CONFIRM_PATH, Some(asked))).into_response();
                    }
                    Completeness::AwaitingApproval => return Redirect::to(PENDING_PATH).into_response(),
                }
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

    // covers: PAR-1
    #[test]
    fn profile_administration_and_console_pages_are_secure_and_registration_is_not() {
        for secure in ["/profile", "/profile/emails", "/admin/approvals", "/console", "/console/users/1", "/company"] {
            assert!(is_secure_page(secure), "{secure}");
        }
        for public in ["/", "/register", "/register/confirm", "/login", "/profiles", "/companyx", "/logout"] {
            assert!(!is_secure_page(public), "{public}");
        }
    }
}
