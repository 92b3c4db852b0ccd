//! Server-side glue shared by server functions and the plain-HTML form handlers: the state,
//! the request's reference code, the session, and `ServiceError` → `AppError`.

use leptos::prelude::*;
use tower_sessions::Session;

use super::error::AppError;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;

/// The short reference code of a request (LOG-1): equal to its request ID in the logs.
#[derive(Debug, Clone)]
pub struct RequestRef(pub String);

/// The client address as the server decided it (peer, or trusted proxy's X-Forwarded-For).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::Internal { reference: reference() })
}

/// The reference code of the current request, from the request parts Leptos provides.
pub fn reference() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestRef>().cloned())
        .map(|r| r.0)
        .unwrap_or_else(|| "-".into())
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|_| AppError::Internal { reference: reference() })
}

pub const USER_ID: &str = "user_id";
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// The session's chosen customer (PRO-7) and account (PRO-3); checked on every request.
pub const CHOSEN_ORGANIZATION: &str = "organization_id";
pub const CHOSEN_ACCOUNT: &str = "account_id";

/// What the session chose; `authz` decides on each request whether it still holds.
pub async fn session_choice(session: &Session) -> crate::backend::authz::SessionChoice {
    crate::backend::authz::SessionChoice {
        organization_id: session.get(CHOSEN_ORGANIZATION).await.ok().flatten(),
        account_id: session.get(CHOSEN_ACCOUNT).await.ok().flatten(),
    }
}

/// Starts an authenticated session with a new ID (SEC-2: no fixation).
pub async fn start_session(
    session: &Session,
    user_id: &str,
    now_ms: i64,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(SIGNED_IN_AT, now_ms).await?;
    Ok(())
}

/// The signed-in user's ID, if the session is within its idle and absolute limits (SEC-2, on
/// the app clock, under the settings as they are now). Activity slides the idle timeout: at
/// most once a minute the session records it, and the session layer writes it back.
pub async fn session_user_id(session: &Session, state: &AppState) -> Option<String> {
    use crate::backend::store::sessions::{liveness, Liveness, SessionLimits, LAST_SEEN};
    let user_id: String = session.get(USER_ID).await.ok().flatten()?;
    let signed_in_at: i64 = session.get(SIGNED_IN_AT).await.ok().flatten()?;
    let last_seen: Option<i64> = session.get(LAST_SEEN).await.ok().flatten();
    let limits = SessionLimits::of(&*crate::backend::settings::Settings::current(&state.db).await.ok()?);
    let now = state.now_ms();
    match liveness(now, signed_in_at, last_seen, limits) {
        Liveness::Ended => {
            let _ = session.flush().await;
            None
        }
        Liveness::Live { extend } => {
            if extend {
                let _ = session.insert(LAST_SEEN, now).await;
            }
            Some(user_id)
        }
    }
}

/// Maps a use-case error to what the user is told; internal detail is logged, never shown.
pub fn to_app_error(err: ServiceError, reference: String) -> AppError {
    let form = |message: &str| AppError::Form { message: message.to_owned(), reference: reference.clone() };
    match err {
        ServiceError::Validation(fields) => AppError::Validation { fields },
        ServiceError::SignInFailed => form("The username or password is incorrect."),
        ServiceError::AwaitingApproval => {
            form("Your registration is awaiting approval. You can sign in once it has been approved.")
        }
        ServiceError::AccessNotActive => form("Your access is not active. Please contact your administrator."),
        ServiceError::Locked => form("Too many failed sign-in attempts. Please wait a while and try again."),
        ServiceError::OnlineAccess(refusal) => form(refusal.message()),
        ServiceError::Forbidden => AppError::Forbidden { reference },
        ServiceError::IncompleteRegistration => AppError::IncompleteRegistration,
        ServiceError::NotFound => AppError::NotFound,
        ServiceError::Conflict(code) => AppError::Conflict { code, reference },
        ServiceError::Unauthenticated => AppError::Unauthenticated,
        ServiceError::Busy => AppError::Busy { reference },
        ServiceError::Store(e) if e.is_out_of_space() => {
            tracing::error!(reference = %reference, error = %e, "database out of space");
            AppError::OutOfSpace { reference }
        }
        ServiceError::Store(e) if e.is_unavailable() => {
            tracing::warn!(reference = %reference, error = %e, "database unavailable");
            AppError::Busy { reference }
        }
        ServiceError::Store(e) => {
            tracing::error!(reference = %reference, error = %e, "store error");
            AppError::Internal { reference }
        }
        ServiceError::Internal(e) => {
            tracing::error!(reference = %reference, error = %e, "internal error");
            AppError::Internal { reference }
        }
    }
}

/// REG-3: where to go after success. Only same-origin relative paths; anything else is `/`.
pub fn landing(ref_: Option<&str>) -> String {
    crate::domain::safe_ref(ref_.unwrap_or("/"))
}

impl AppError {
    /// The HTTP status an error answers with, for every door (plain posts, extractors).
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            // Sign-in refusals (LOG-1, LOG-2) are the form-level messages.
            AppError::Form { .. } | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } | AppError::IncompleteRegistration => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } | AppError::OutOfSpace { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Axum handlers and extractors answer an `AppError` as JSON with its status (the pages render
/// their own error views).
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let body = serde_json::to_string(&self).unwrap_or_default();
        (self.status(), [(http::header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}
