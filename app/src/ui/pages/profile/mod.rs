//! The signed-in user's own profile (PRO-1, PRO-2 e-mail addresses, PRO-4): each page shows the
//! profile's navigation and works as a plain form post and, with JavaScript, without reloads.

pub mod addresses;
pub mod confirm_email;
pub mod emails;
pub mod personal;
pub mod phones;
pub mod preferences;

use leptos::prelude::*;

use crate::api::types::FormSubmission;
use crate::ui::components::FormState;

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
