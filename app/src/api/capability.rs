//! The caller's capability in one line: `capability::caller().await?.signed_in()` in a server
//! function, or a `Caller` extractor argument in an axum handler. Both read the session once
//! and share one load per request ([`CallerCache`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use leptos::prelude::*;
use tower_sessions::Session;

use super::error::AppError;
use super::ssr::{reference, session, session_choice, session_user_id, state, to_app_error, RequestRef};
use crate::backend::authz::{Caller, CallerCache};
use crate::backend::AppState;

/// The signed-in caller of this request, or `Unauthenticated`.
pub async fn caller() -> Result<Caller, AppError> {
    optional_caller().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in caller, if any (public pages that adapt to a signed-in user).
pub async fn optional_caller() -> Result<Option<Caller>, AppError> {
    let state = state()?;
    let session = session().await?;
    let cache = use_context::<CallerCache>().unwrap_or_default();
    load(&cache, &state, &session).await.map_err(|e| to_app_error(e, reference()))
}

async fn load(
    cache: &CallerCache,
    state: &AppState,
    session: &Session,
) -> Result<Option<Caller>, crate::backend::ServiceError> {
    let signed_in = match session_user_id(session, state).await {
        Some(user_id) => Some((user_id, session_choice(session).await)),
        None => None,
    };
    cache.get_or_load(state, signed_in).await
}

/// For axum handlers and middleware: the caller of the request whose parts these are.
pub async fn caller_of(parts: &mut Parts) -> Result<Option<Caller>, AppError> {
    let reference = parts.extensions.get::<RequestRef>().map(|r| r.0.clone()).unwrap_or_default();
    let internal = || AppError::Internal { reference: reference.clone() };
    let state = parts.extensions.get::<AppState>().cloned().ok_or_else(internal)?;
    let session = parts.extensions.get::<Session>().cloned().ok_or_else(internal)?;
    let cache = match parts.extensions.get::<CallerCache>() {
        Some(cache) => cache.clone(),
        None => {
            let cache = CallerCache::default();
            parts.extensions.insert(cache.clone());
            cache
        }
    };
    load(&cache, &state, &session).await.map_err(|e| to_app_error(e, reference.clone()))
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        caller_of(parts).await?.ok_or(AppError::Unauthenticated)
    }
}
