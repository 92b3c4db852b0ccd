//! `/profile/preferences` (PRO-4): marketing opt-in with its history (REG-11) and the
//! notification language (NOT-4).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{prefill, Notice};
use crate::api::profile::preferences::my_preferences;
use crate::api::profile::save_preferences::save_preferences;
use crate::api::profile::{language_options, OptInChange, PreferencesData};
use crate::api::types::FormSubmission;
use crate::domain::PreferencesForm;
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, ProfileNav, SelectField};

const HERE: &str = "/profile/preferences";

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let prefs = Resource::new(move || version.get(), |_| my_preferences());
    let query = use_query_map();
    let notice = move || {
        query.read().get("notice").filter(|n| n == "saved").map(|_| "Your preferences have been saved.".to_owned())
    };
    let state = FormState::new();
    view! {
        <Title text="Preferences" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match prefs.await {
                    Err(e) => refusal(e, HERE),
                    Ok(data) => view! {
                        <section class="panel wide">
                            <h1>"My Profile"</h1>
                            <ProfileNav current=HERE />
                            <h2>"Preferences"</h2>
                            <Notice text=notice() />
                            <PreferencesEditor data=data.clone() state version />
                            <History changes=data.history />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PreferencesEditor(data: PreferencesData, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: PreferencesForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || save_preferences(form),
            move |next: String| {
                state.errors.set(Vec::new());
                state.form_error.set(None);
                navigate(&next, Default::default());
                version.update(|v| *v += 1);
            },
        );
    };
    let opted_in = if use_context::<FormSubmission>().is_some() {
        state.checked("marketing_opt_in")
    } else {
        data.marketing_opt_in
    };
    view! {
        <form method="post" action=HERE on:submit=on_submit novalidate>
            <FormAlert state />
            <div class="field field-checkbox">
                <input id="marketing_opt_in" name="marketing_opt_in" type="checkbox" value="on" checked=opted_in />
                <label for="marketing_opt_in">"Send me news and offers by e-mail"</label>
            </div>
            <SelectField state label="Notification language" name="language" options=language_options() selected=prefill(&state, "language", &data.language) />
            <FormActions state label="Save" progress="Saving…" />
        </form>
    }
    .into_any()
}

/// REG-11: every change of the opt-in, newest first.
#[component]
fn History(changes: Vec<OptInChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p>"You have not chosen whether to receive news and offers yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="data">
                <caption>"Your news and offers choices, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Choice"</th>
                        <th scope="col">"Where"</th>
                    </tr>
                </thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td>{c.when}</td>
                                <td>{if c.opted_in { "Opted in" } else { "Opted out" }}</td>
                                <td>{c.source}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
