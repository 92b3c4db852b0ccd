//! SEC-4 per-client-address limits on sign-in, registration, forgot-login and online access
//! (governor token buckets, one per client — an IPv4 address or an IPv6 /64 — and kind).
//! `GATEHOUSE_IP_RATE_LIMIT=off` turns them off; the per-username failure counters are
//! separate and always on.

use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::api::ssr::{ClientIp, RequestRef};
use app::api::AppError;
use app::api::RPC_PREFIX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    Registration,
    ForgotLogin,
}

/// Which limited action a request is, by method and path (forms and server functions).
pub fn kind_of(method: &Method, path: &str) -> Option<Kind> {
    if *method != Method::POST {
        return None;
    }
    match path {
        "/login" | "/rpc/auth/sign_in" | "/password/change" | "/rpc/auth/change_password" => Some(Kind::SignIn),
        // API-1: client credentials are a sign-in too.
        "/api/v1/token" => Some(Kind::SignIn),
        "/forgot" | "/rpc/auth/forgot" => Some(Kind::ForgotLogin),
        "/rpc/register/submit" => Some(Kind::Registration),
        p if p.starts_with("/register/") => Some(Kind::Registration),
        _ => None,
    }
}

#[derive(Clone)]
pub struct Limits {
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    registration: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    forgot: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

fn keyed(per_minute: u32, burst: u32) -> Arc<DefaultKeyedRateLimiter<IpAddr>> {
    let quota = Quota::per_minute(NonZeroU32::new(per_minute).expect("non-zero"))
        .allow_burst(NonZeroU32::new(burst).expect("non-zero"));
    Arc::new(RateLimiter::keyed(quota))
}

impl Default for Limits {
    fn default() -> Self {
        Self { sign_in: keyed(20, 10), registration: keyed(6, 6), forgot: keyed(5, 5) }
    }
}

/// The bucket of a client address: an IPv4 address is one client; an IPv6 client is its /64,
/// the smallest network one subscriber gets, so rotating through the 2^64 addresses of its
/// own network buys nothing. IPv4-mapped IPv6 addresses count as their IPv4 address.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
    }
}

impl Limits {
    pub fn allow(&self, kind: Kind, ip: IpAddr) -> bool {
        let limiter = match kind {
            Kind::SignIn => &self.sign_in,
            Kind::Registration => &self.registration,
            Kind::ForgotLogin => &self.forgot,
        };
        limiter.check_key(&bucket(ip)).is_ok()
    }

    /// Forgets addresses whose buckets are full again (called periodically; bounds memory).
    pub fn shrink(&self) {
        for limiter in [&self.sign_in, &self.registration, &self.forgot] {
            limiter.retain_recent();
        }
    }
}

pub async fn limit(request: Request, next: Next) -> Response {
    let (Some(limits), Some(kind)) =
        (request.extensions().get::<Limits>().cloned(), kind_of(request.method(), request.uri().path()))
    else {
        return next.run(request).await;
    };
    let ip = request.extensions().get::<ClientIp>().map(|c| c.0).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if limits.allow(kind, ip) {
        return next.run(request).await;
    }
    let reference = request.extensions().get::<RequestRef>().map(|r| r.0.clone()).unwrap_or_default();
    tracing::warn!(?kind, "rate limit reached for a client address");
    if crate::api::is_api(request.uri().path()) {
        return crate::api::problem::ApiError::too_many_requests(&reference, 60).into_response();
    }
    let error = AppError::RateLimited { reference };
    if request.uri().path().starts_with(RPC_PREFIX) {
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let page = crate::assets::plain_page("Too many attempts", &error.to_string());
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], Html(page)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: SEC-4
    #[test]
    fn limited_actions_are_recognised_and_buckets_run_out_per_address() {
        assert_eq!(kind_of(&Method::POST, "/login"), Some(Kind::SignIn));
        assert_eq!(kind_of(&Method::POST, "/register/individual"), Some(Kind::Registration));
        assert_eq!(kind_of(&Method::GET, "/login"), None);
        assert_eq!(kind_of(&Method::POST, "/api/v1/token"), Some(Kind::SignIn));
        let limits = Limits::default();
        let a = IpAddr::from([192, 0, 2, 1]);
        let b = IpAddr::from([192, 0, 2, 2]);
        let allowed = (0..20).filter(|_| limits.allow(Kind::Registration, a)).count();
        assert_eq!(allowed, 6);
        assert!(limits.allow(Kind::Registration, b));
    }

    // covers: SEC-4
    #[test]
    fn an_ipv6_client_has_one_bucket_per_64_and_ipv4_one_per_address() {
        let limits = Limits::default();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let allowed = (0..6).filter(|i| limits.allow(Kind::Registration, ip(&format!("2001:db8:1:2::{i:x}")))).count();
        assert_eq!(allowed, 6);
        assert!(!limits.allow(Kind::Registration, ip("2001:db8:1:2:ffff:ffff:ffff:ffff")), "same /64, same bucket");
        assert!(limits.allow(Kind::Registration, ip("2001:db8:1:3::1")), "the next /64 is another client");
        for _ in 0..6 {
            limits.allow(Kind::Registration, ip("192.0.2.1"));
        }
        assert!(
            !limits.allow(Kind::Registration, ip("::ffff:192.0.2.1")),
            "an IPv4-mapped address is that IPv4 address"
        );
        assert!(limits.allow(Kind::Registration, ip("192.0.2.2")), "IPv4 addresses are counted one by one");
    }
}
