//! A one-button form of a table row (Remove, Make preferred, Make primary).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::AppError;
use crate::ui::components::FormState;

/// A plain post to `action` without JavaScript; with it, `call` (the same server function), then
/// the list is read again (`version`) and the browser goes where the answer says. `label` is
/// the button's accessible name (which row it acts on).
#[component]
pub fn RowAction<F, Fut>(
    action: String,
    label: String,
    text: &'static str,
    hidden: Vec<(&'static str, String)>,
    state: FormState,
    version: RwSignal<u32>,
    call: F,
) -> impl IntoView
where
    F: Fn() -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = Result<String, AppError>> + 'static,
{
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (call, navigate) = (call.clone(), navigate.clone());
        state.submit(Ok(()), call, move |next: String| {
            state.errors.set(Vec::new());
            state.form_error.set(None);
            version.update(|v| *v += 1);
            navigate(&next, Default::default());
        });
    };
    view! {
        <form class="row-action" method="post" action=action on:submit=on_submit>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <button type="submit" class="button button-secondary" aria-label=label
                aria-disabled=move || state.pending.get().to_string()>{text}</button>
        </form>
    }
}
