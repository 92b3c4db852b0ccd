//! `/profile` (PRO-1): Personal information — names, e-mail, phone, language, and the way to
//! change the password. A different e-mail address waits for its confirmation link.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{prefill, Notice};
use crate::api::profile::details::my_profile;
use crate::api::profile::save_profile::save_profile;
use crate::api::profile::{language_options, ProfileData};
use crate::domain::ProfileForm;
use crate::ui::components::{
    read_form, refusal, FormActions, FormAlert, FormState, ProfileNav, SelectField, TextField,
};
use crate::ui::session::SessionContext;

const HERE: &str = "/profile";

fn notice_text(notice: &str) -> Option<String> {
    match notice {
        "saved" => Some("Your personal information has been saved.".to_owned()),
        "password_changed" => Some("Your password has been changed.".to_owned()),
        _ => None,
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let profile = Resource::new(move || version.get(), |_| my_profile());
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let state = FormState::new();
    view! {
        <Title text="Personal information" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(e) => refusal(e, HERE),
                    Ok(data) => view! {
                        <section class="panel wide">
                            <h1>"My Profile"</h1>
                            <ProfileNav current=HERE />
                            <h2>"Personal information"</h2>
                            <Notice text=notice() />
                            {data.pending_email.clone().map(|to| view! {
                                <p class="notice" role="status">
                                    "We have sent a confirmation link to " <strong>{to}</strong>
                                    ". Your e-mail address changes when you follow it."
                                </p>
                            })}
                            <PersonalForm data state version />
                            <h2>"Password"</h2>
                            <p>"Changing your password signs you out everywhere else."</p>
                            <p><a class="button button-secondary" href="/password/change">"Change password"</a></p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PersonalForm(data: ProfileData, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let session = use_context::<SessionContext>();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: ProfileForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || save_profile(form),
            move |next: String| {
                state.errors.set(Vec::new());
                state.form_error.set(None);
                navigate(&next, Default::default());
                // The stored values (and the header's name) as they are now.
                version.update(|v| *v += 1);
                if let Some(session) = session {
                    session.changed();
                }
            },
        );
    };
    view! {
        <form method="post" action=HERE on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="First name" name="first_name" required=true autocomplete="given-name" value=prefill(&state, "first_name", &data.first_name) />
            <TextField state label="Last name" name="last_name" required=true autocomplete="family-name" value=prefill(&state, "last_name", &data.last_name) />
            <TextField state label="Email" name="email" input_type="email" required=true autocomplete="email"
                hint="A new address takes effect when you follow the link we send to it." value=prefill(&state, "email", &data.email) />
            <TextField state label="Phone" name="phone" input_type="tel" autocomplete="tel" value=prefill(&state, "phone", &data.phone) />
            <SelectField state label="Language" name="language" options=language_options() selected=prefill(&state, "language", &data.language) />
            <FormActions state label="Save" progress="Saving…" />
        </form>
    }
    .into_any()
}
