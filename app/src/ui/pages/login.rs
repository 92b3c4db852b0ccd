//! `/login` (LOG-1): progressively enhanced like the registration forms (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::register_list::urlencode;
use crate::api::auth::sign_in::sign_in;
use crate::app::SessionContext;
use crate::domain::{safe_ref, FieldError};
use crate::ui::components::{collect_fields, FormAlert, FormState, TextField};

#[component]
pub fn LoginPage() -> impl IntoView {
    let state = FormState::new();
    let session = expect_context::<SessionContext>();
    let navigate = use_navigate();
    let query = use_query_map();
    let ref_ = query.read_untracked().get("ref").map(|r| safe_ref(&r)).filter(|r| r != "/");
    let notice = query.read_untracked().get("notice");
    let action = match &ref_ {
        Some(r) => format!("/login?ref={}", urlencode(r)),
        None => "/login".to_owned(),
    };
    let on_submit = {
        let ref_ = ref_.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if state.pending.get_untracked() {
                return;
            }
            let fields = collect_fields(&ev, &["username", "password"]);
            let username = fields.get("username").cloned().unwrap_or_default();
            let password = fields.get("password").cloned().unwrap_or_default();
            let mut missing = Vec::new();
            if username.trim().is_empty() {
                missing.push(FieldError::new("username", "Enter your username"));
            }
            if password.is_empty() {
                missing.push(FieldError::new("password", "Enter your password"));
            }
            if !missing.is_empty() {
                state.show_field_errors(missing);
                return;
            }
            state.pending.set(true);
            let (ref_, navigate) = (ref_.clone(), navigate.clone());
            spawn_local(async move {
                match sign_in(username, password, ref_).await {
                    Ok(next) => {
                        session.changed();
                        navigate(&next, Default::default());
                    }
                    Err(e) => state.fail(e),
                }
                state.pending.set(false);
            });
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
                <div class="form-actions">
                    <button type="submit" class="button" aria-disabled=move || state.pending.get().to_string()>"Sign in"</button>
                    <span class="progress" role="status">{move || state.pending.get().then_some("Signing you in…")}</span>
                </div>
            </form>
            <p><a href="/forgot">"Forgot your username or password?"</a></p>
            <p>"New here? " <a href="/register">"Register"</a></p>
        </section>
    }
}
