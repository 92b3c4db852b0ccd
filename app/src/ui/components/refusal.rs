//! What a page shows instead of itself when the server refuses (SEC-5): sign in, not found
//! (also for what belongs to someone else), or access denied with the reference code, with the
//! matching HTTP status.

use leptos::prelude::*;

use crate::api::AppError;
use crate::ui::pages::not_found::{set_status, NotFound};

/// The refusal for `error`; `next` is where to return after signing in.
pub fn refusal(error: AppError, next: &str) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let href = crate::domain::with_ref("/login", Some(next));
            // A page load without a session goes to sign-in and comes back (REG-3's `ref`).
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&href);
            view! {
                <section class="panel narrow">
                    <h1>"Please sign in"</h1>
                    <p><a href=href>"Sign in"</a> " to see this page."</p>
                </section>
            }
            .into_any()
        }
        AppError::IncompleteRegistration => {
            // PAR-1: the page asks for a complete customer record; partial registration
            // completes it and comes back.
            let href = crate::domain::with_ref("/register/confirm", Some(next));
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&href);
            view! {
                <section class="panel narrow">
                    <h1>"Complete your registration"</h1>
                    <p>"We need a few more details first. " <a href=href>"Complete your registration"</a></p>
                </section>
            }
            .into_any()
        }
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        other => {
            set_status(if matches!(other, AppError::Forbidden { .. }) { 403 } else { 500 });
            view! {
                <section class="panel narrow">
                    <h1>"Access denied"</h1>
                    <p role="alert">{other.to_string()}</p>
                </section>
            }
            .into_any()
        }
    }
}
