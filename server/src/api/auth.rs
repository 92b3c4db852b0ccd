//! Who calls (API-1, API-2): the bearer token of every call but the token request is checked
//! against the database on every call — an inactivated integration user gets 401 at once, even
//! with a token issued before — and each client has its own request budget (429 problem with
//! `Retry-After`). No cookie, session or CSRF check is involved: browsers never send a bearer
//! token by themselves.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::backend::authz::{integration, Integration};
use app::backend::{AppState, ServiceError};

use super::problem::{reference_of, ApiError};

/// The bearer token of `Authorization: Bearer <token>`, if the header is one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// Every protected route: the caller's [`Integration`] capability, or 401.
pub async fn authenticate(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let reference = reference_of(&parts);
    let Some(state) = parts.extensions.get::<AppState>().cloned() else {
        return ApiError::internal(&reference).into_response();
    };
    let Some(token) = bearer(&parts).map(str::to_owned) else {
        return ApiError::unauthorized(&reference, false).into_response();
    };
    match integration(&state, &token).await {
        Ok(client) => {
            parts.extensions.insert(client);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(ServiceError::Unauthenticated) => ApiError::unauthorized(&reference, true).into_response(),
        Err(other) => ApiError::from_service(other, &reference).into_response(),
    }
}

/// The authenticated integration user, for handlers (set by [`authenticate`]).
#[derive(Debug, Clone)]
pub struct Client(pub Integration);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Integration>()
            .cloned()
            .map(Client)
            .ok_or_else(|| ApiError::unauthorized(&reference_of(parts), false))
    }
}

/// The per-client request budget (API-6's "per-client rate limit"): a token bucket per
/// integration user, `per_minute` requests a minute with bursts of as many.
#[derive(Clone)]
pub struct ClientLimits(Arc<DefaultKeyedRateLimiter<String>>);

impl ClientLimits {
    pub fn per_minute(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        Self(Arc::new(RateLimiter::keyed(Quota::per_minute(n).allow_burst(n))))
    }

    /// `Ok` when the client may go on, else the seconds to wait.
    fn check(&self, client: &str) -> Result<(), u64> {
        self.0.check_key(&client.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// After [`authenticate`]: 429 once the client has spent its budget.
pub async fn limit(State(limits): State<ClientLimits>, request: Request, next: Next) -> Response {
    let Some(id) = request.extensions().get::<Integration>().map(|c| c.id().to_owned()) else {
        return next.run(request).await;
    };
    match limits.check(&id) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let (parts, _) = request.into_parts();
            tracing::warn!(client_id = %client_id_of(&parts), "API rate limit reached for a client");
            ApiError::too_many_requests(&reference_of(&parts), wait).into_response()
        }
    }
}

fn client_id_of(parts: &Parts) -> String {
    parts.extensions.get::<Integration>().map(|i| i.client_id().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: API-6
    #[test]
    fn each_client_has_its_own_budget() {
        let limits = ClientLimits::per_minute(2);
        assert!(limits.check("a").is_ok() && limits.check("a").is_ok());
        let wait = limits.check("a").unwrap_err();
        assert!((1..=30).contains(&wait), "{wait}");
        assert!(limits.check("b").is_ok(), "another client is not slowed");
    }

    // covers: API-1
    #[test]
    fn only_a_bearer_authorization_carries_a_token() {
        let parts = |value: &str| {
            let request = axum::http::Request::builder().header(header::AUTHORIZATION, value).body(()).unwrap();
            request.into_parts().0
        };
        assert_eq!(bearer(&parts("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&parts("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&parts("Basic abc")), None);
        assert_eq!(bearer(&parts("Bearer ")), None);
    }
}
