//! `/password/reset/{token}` (LOG-6): choose a new password from an e-mailed link (LOG-4). A
//! link that is unknown, used or expired gets one page that says only that it is no longer
//! valid. Progressively enhanced like every form (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::reset_password::{reset_link_live, reset_password};
use crate::api::AppError;
use crate::domain::{NoCommonList, PasswordContext, PasswordResetForm};
use crate::ui::components::{browser_password_policy, read_form, FormActions, FormAlert, FormState, NewPasswordFields};

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let live = Resource::new(token, reset_link_live);
    // A link used up while this page was open (another tab, a second click).
    let spent = RwSignal::new(false);
    view! {
        <Title text="Set password" />
        <section class="panel narrow">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match live.await {
                        Ok(true) => view! { <ResetForm token=token() spent /> }.into_any(),
                        _ => view! { <LinkNoLongerValid /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResetForm(token: String, spent: RwSignal<bool>) -> impl IntoView {
    let state = FormState::new();
    let action = format!("/password/reset/{token}");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: PasswordResetForm = read_form(&ev);
        let checked = form.validate(&browser_password_policy(), &PasswordContext::default(), &NoCommonList).map(|_| ());
        let token = token.clone();
        // A link that died meanwhile (used, expired) shows its own page rather than an error.
        let call = move || async move {
            match reset_password(token, form).await {
                Err(AppError::NotFound) => {
                    spent.set(true);
                    Ok(None)
                }
                answer => answer.map(Some),
            }
        };
        state.submit(checked, call, |next: Option<String>| {
            if let Some(next) = next {
                let _ = window().location().set_href(&next);
            }
        });
    };
    view! {
        <Show when=move || !spent.get() fallback=|| view! { <LinkNoLongerValid /> }>
            <h1>"Set password"</h1>
            <p>"Choose a new password. You will then sign in with it."</p>
            <form method="post" action=action.clone() on:submit=on_submit.clone() novalidate>
                <FormAlert state />
                <NewPasswordFields state />
                <FormActions state label="Set password" progress="Saving…" />
            </form>
        </Show>
    }
}

#[component]
fn LinkNoLongerValid() -> impl IntoView {
    view! {
        <h1>"This link is no longer valid"</h1>
        <p>"Links to set a password can be used once and expire after 60 minutes."</p>
        <p><a class="button" href="/forgot">"Ask for a new link"</a></p>
    }
}
