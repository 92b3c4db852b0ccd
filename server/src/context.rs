//! What every Leptos render and server function is given, whichever door the request came in
//! by (page, server function, plain form post).

use leptos::prelude::*;

use app::backend::authz::CallerCache;
use app::backend::AppState;

use crate::middleware::security_headers::CspNonce;

/// What every Leptos render and server function gets: the state, and this response's CSP
/// nonce for the hydration scripts.
pub fn leptos_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        let parts = use_context::<http::request::Parts>();
        let extension = |parts: &http::request::Parts| parts.extensions.get::<CallerCache>().cloned();
        // One load of the caller for everything this request renders or runs (authz).
        provide_context(parts.as_ref().and_then(extension).unwrap_or_default());
        if let Some(nonce) = parts.as_ref().and_then(|p| p.extensions.get::<CspNonce>()) {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
        }
    }
}
