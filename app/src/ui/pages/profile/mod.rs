//! The signed-in user's own profile (PRO-1, PRO-2 e-mail addresses, PRO-4): each page shows the
//! profile's navigation and works as a plain form post and, with JavaScript, without reloads.

pub mod confirm_email;
pub mod emails;
pub mod personal;
pub mod preferences;

use leptos::prelude::*;

use crate::api::types::FormSubmission;
use crate::api::AppError;
use crate::ui::components::FormState;
use crate::ui::pages::not_found::{set_status, NotFound};

/// What the user sees instead of a profile page when the server refuses (SEC-5).
pub(crate) fn refusal(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let href = crate::domain::with_ref("/login", Some(here));
            // A page load without a session goes to sign-in and comes back (REG-3's `ref`).
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&href);
            view! {
                <section class="panel narrow">
                    <h1>"Please sign in"</h1>
                    <p><a href=href>"Sign in"</a> " to see your profile."</p>
                </section>
            }
            .into_any()
        }
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        other => {
            set_status(if matches!(other, AppError::Forbidden { .. }) { 403 } else { 500 });
            view! {
                <section class="panel narrow">
                    <h1>"We could not show this page"</h1>
                    <p role="alert">{other.to_string()}</p>
                </section>
            }
            .into_any()
        }
    }
}

/// The value a field starts with: what was posted when a plain post failed (REG-14), else what
/// is stored.
pub(crate) fn prefill(state: &FormState, name: &str, stored: &str) -> String {
    if use_context::<FormSubmission>().is_some() {
        state.value(name)
    } else {
        stored.to_owned()
    }
}

/// The neutral status line of a `?notice=` (never an error style).
#[component]
pub(crate) fn Notice(text: Option<String>) -> impl IntoView {
    text.map(|t| view! { <p class="notice" role="status">{t}</p> })
}
