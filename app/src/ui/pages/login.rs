//! `/login` (LOG-1): progressively enhanced like the registration forms (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::auth::sign_in::sign_in;
use crate::domain::{safe_ref, with_ref, SignInForm, SignInRefusal};
use crate::ui::components::{read_form, FormActions, FormAlert, FormState, TextField};
use crate::ui::session::SessionContext;

#[component]
pub fn LoginPage() -> impl IntoView {
    let state = FormState::new();
    let session = expect_context::<SessionContext>();
    let navigate = use_navigate();
    let query = use_query_map();
    let ref_ = query.read_untracked().get("ref").map(|r| safe_ref(&r)).filter(|r| r != "/");
    let notice = query.read_untracked().get("notice");
    let action = with_ref("/login", ref_.as_deref());
    let on_submit = {
        let ref_ = ref_.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let form: SignInForm = read_form(&ev);
            // The same check the server makes; an impossible length is left for the server to
            // answer like any wrong password (LOG-1).
            let checked = match form.validate() {
                Err(SignInRefusal::Missing(missing)) => Err(missing),
                Ok(_) | Err(SignInRefusal::Incorrect) => Ok(()),
            };
            let (ref_, navigate) = (ref_.clone(), navigate.clone());
            state.submit(
                checked,
                move || sign_in(form, ref_),
                move |next: String| {
                    session.changed();
                    navigate(&next, Default::default());
                },
            );
        }
    };
    view! {
        <Title text="Sign in" />
        <section class="panel narrow">
            <h1>"Sign in"</h1>
            {notice.filter(|n| n == "password_reset").map(|_| view! {
                <p class="notice" role="status">"Your password has been set. Please sign in."</p>
            })}
            <form method="post" action=action on:submit=on_submit novalidate>
                <FormAlert state />
                <TextField state label="Username" name="username" required=true autocomplete="username" value=state.value("username") />
                <TextField state label="Password" name="password" input_type="password" required=true autocomplete="current-password" />
                <FormActions state label="Sign in" progress="Signing you in…" />
            </form>
            <p><a href="/forgot">"Forgot your username or password?"</a></p>
            <p>"New here? " <a href="/register">"Register"</a></p>
        </section>
    }
}
