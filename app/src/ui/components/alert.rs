//! The form-level error (REG-14, LOG-1): an element with `role="alert"`, so screen readers
//! announce it when it appears.

use leptos::prelude::*;

use super::form::FormState;

#[component]
pub fn FormAlert(state: FormState) -> impl IntoView {
    let message = move || {
        let form_error = state.form_error.get();
        let count = state.errors.with(|e| e.len());
        form_error.or_else(|| match count {
            0 => None,
            1 => Some("There is a problem with one field. Please correct it below.".to_owned()),
            n => Some(format!("There are problems with {n} fields. Please correct them below.")),
        })
    };
    view! {
        <div class="form-alert" role="alert" aria-live="assertive">
            {move || message().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}
