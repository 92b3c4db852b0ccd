//! `/profile/email/confirm/{token}` (PRO-1, PRO-2): the page an e-mailed confirmation link opens.
//! Opening it changes nothing (mail scanners follow links); the **Confirm** button posts. It
//! needs the session of the user who asked (see `backend/services/email_addresses.rs` for why);
//! unknown, used, expired and other users' links get one neutral page.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::profile::confirm_email::{confirm_email, email_confirmation};
use crate::api::AppError;
use crate::ui::components::{FormActions, FormAlert, FormState};

#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let live = Resource::new(token, email_confirmation);
    // A link used up while this page was open (another tab, a second click).
    let spent = RwSignal::new(false);
    view! {
        <Title text="Confirm your e-mail address" />
        <section class="panel narrow">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match live.await {
                        Ok(Some(address)) => view! { <ConfirmForm token=token() address spent /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            let href = crate::domain::with_ref("/login", Some(&format!("/profile/email/confirm/{}", token())));
                            view! {
                                <h1>"Confirm your e-mail address"</h1>
                                <p>"Please sign in with the username that asked for this address, then confirm it."</p>
                                <p><a class="button" href=href>"Sign in"</a></p>
                            }
                            .into_any()
                        }
                        _ => view! { <LinkNoLongerValid /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ConfirmForm(token: String, address: String, spent: RwSignal<bool>) -> impl IntoView {
    let state = FormState::new();
    let action = format!("/profile/email/confirm/{token}");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let token = token.clone();
        let call = move || async move {
            match confirm_email(token).await {
                Err(AppError::NotFound) => {
                    spent.set(true);
                    Ok(None)
                }
                answer => answer.map(Some),
            }
        };
        state.submit(Ok(()), call, |next: Option<String>| {
            if let Some(next) = next {
                // A full load: the header and every profile page show the new address.
                let _ = window().location().set_href(&next);
            }
        });
    };
    view! {
        <Show when=move || !spent.get() fallback=|| view! { <LinkNoLongerValid /> }>
            <h1>"Confirm your e-mail address"</h1>
            <p>"Confirm that " <strong>{address.clone()}</strong> " is your e-mail address."</p>
            <form method="post" action=action.clone() on:submit=on_submit.clone()>
                <FormAlert state />
                <FormActions state label="Confirm" progress="Confirming…" />
            </form>
        </Show>
    }
}

#[component]
fn LinkNoLongerValid() -> impl IntoView {
    view! {
        <h1>"This link is no longer valid"</h1>
        <p>"Confirmation links can be used once, by the user who asked for them, and expire after 24 hours."</p>
        <p><a class="button" href="/profile/emails">"Your e-mail addresses"</a></p>
    }
}
