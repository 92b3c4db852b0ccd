//! `/forgot` (LOG-4): ask for a set-password link by username, e-mail address or both. The
//! answer is always the same neutral message. Progressively enhanced like every form (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::auth::forgot::forgot;
use crate::domain::ForgotLoginForm;
use crate::ui::components::{read_form, FormActions, FormAlert, FormState, TextField};

pub const SENT_MESSAGE: &str = "If we found a matching account, we have sent you an e-mail.";

#[component]
pub fn ForgotPage() -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: ForgotLoginForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || forgot(form),
            move |next: String| {
                state.errors.set(Vec::new());
                state.form_error.set(None);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <Title text="Forgot your username or password?" />
        <section class="panel narrow">
            <h1>"Forgot your username or password?"</h1>
            {move || sent().then(|| view! { <p class="notice" role="status">{SENT_MESSAGE}</p> })}
            <p>"Enter your username, your e-mail address, or both. We will e-mail you your usernames, each with a link to choose a new password."</p>
            <form method="post" action="/forgot" on:submit=on_submit novalidate>
                <FormAlert state />
                <TextField state label="Username" name="username" autocomplete="username" value=state.value("username") />
                <TextField state label="Email" name="email" input_type="email" autocomplete="email" value=state.value("email") />
                <FormActions state label="Send" progress="Sending…" />
            </form>
            <p><a href="/login">"Back to sign in"</a></p>
        </section>
    }
}
