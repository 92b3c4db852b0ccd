//! `/password/change` (LOG-3, LOG-6): the forced password change after a temporary password,
//! and the voluntary one. Progressively enhanced like every form (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::change_password::change_password;
use crate::domain::{NoCommonList, PasswordChangeForm, PasswordContext};
use crate::ui::components::{
    browser_password_policy, read_form, FormActions, FormAlert, FormState, NewPasswordFields, TextField,
};

#[component]
pub fn PasswordChangePage() -> impl IntoView {
    let state = FormState::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: PasswordChangeForm = read_form(&ev);
        let checked = form.validate(&browser_password_policy(), &PasswordContext::default(), &NoCommonList).map(|_| ());
        // A full page load, not a client-side navigation: the header still holds the "must
        // change" user until it refetches, and its guard would send the user back.
        state.submit(
            checked,
            move || change_password(form),
            |next: String| {
                let _ = window().location().set_href(&next);
            },
        );
    };
    view! {
        <Title text="Reset password" />
        <section class="panel narrow">
            <h1>"Reset password"</h1>
            <p>"Please choose a new password before you continue."</p>
            <form method="post" action="/password/change" on:submit=on_submit novalidate>
                <FormAlert state />
                <TextField state label="Current password" name="current_password" input_type="password" required=true autocomplete="current-password" />
                <NewPasswordFields state />
                <FormActions state label="Set password" progress="Saving…" />
            </form>
        </section>
    }
}
