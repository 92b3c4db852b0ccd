//! CON-2: `/console/settings` — every setting SPEC names, grouped, each with its default shown.
//! The form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::console::settings::{current_settings, save_settings, SettingsInfo, SETTINGS_PAGE};
use crate::domain::settings_form::{setting_groups, SettingKind, SettingSpec, SettingsForm, SETTINGS};
use crate::ui::components::{
    read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState, SelectField, TextField,
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| current_settings());
    let query = use_query_map();
    let notice = move || {
        query.read().get("notice").and_then(|n| match n.as_str() {
            "saved" => Some("The settings were saved. They apply from the next request."),
            "unchanged" => Some("Nothing was changed."),
            _ => None,
        })
    };
    view! {
        <Title text="Settings" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, SETTINGS_PAGE),
                    Ok(info) => view! {
                        <section class="panel">
                            <h1>"Settings"</h1>
                            <ConsoleNav current=SETTINGS_PAGE />
                            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                            <SettingsEditor info />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsEditor(info: SettingsInfo) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: SettingsForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(checked, move || save_settings(form), move |next: String| navigate(&next, Default::default()));
    };
    let resubmitted = state.is_resubmission();
    let value = move |spec: &SettingSpec| -> String {
        if resubmitted {
            state.value(spec.key)
        } else {
            info.values.get(spec.key).cloned().unwrap_or_else(|| spec.default.to_owned())
        }
    };
    let approvers: Vec<(String, String)> = std::iter::once((String::new(), "None".to_owned()))
        .chain(info.approvers.into_iter().map(|a| (a.id, a.name)))
        .collect();
    view! {
        <form method="post" action=SETTINGS_PAGE on:submit=on_submit novalidate>
            <FormAlert state />
            {setting_groups()
                .into_iter()
                .map(|group| {
                    let fields = SETTINGS
                        .iter()
                        .filter(|s| s.group == group)
                        .map(|spec| setting_field(state, spec, value(spec), resubmitted, &approvers))
                        .collect_view();
                    view! {
                        <fieldset class="group">
                            <legend>{group}</legend>
                            {fields}
                        </fieldset>
                    }
                })
                .collect_view()}
            <FormActions state label="Save" progress="Saving…">
                <a href="/console">"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

fn setting_field(
    state: FormState,
    spec: &'static SettingSpec,
    value: String,
    resubmitted: bool,
    approvers: &[(String, String)],
) -> AnyView {
    let default_text = match (spec.kind, spec.default) {
        (SettingKind::Flag, "1") => "on".to_owned(),
        (SettingKind::Flag, _) => "off".to_owned(),
        (SettingKind::Approver | SettingKind::Url, "") => "none".to_owned(),
        (_, d) => d.to_owned(),
    };
    let hint = format!("{} Default: {default_text}.", spec.hint);
    match spec.kind {
        SettingKind::Flag => {
            let checked = if resubmitted { state.checked(spec.key) } else { value == "1" };
            let hint_id = format!("{}-hint", spec.key);
            view! {
                <div class="field field-checkbox">
                    <input id=spec.key name=spec.key type="checkbox" value="on" checked=checked aria-describedby=hint_id.clone() />
                    <label for=spec.key>{spec.label}</label>
                    <p class="field-hint" id=hint_id>{hint}</p>
                </div>
            }
            .into_any()
        }
        SettingKind::Number { .. } => view! {
            <TextField state label=spec.label name=spec.key input_type="number" required=true value hint />
        }
        .into_any(),
        SettingKind::Text { .. } => view! {
            <TextField state label=spec.label name=spec.key required=true value hint />
        }
        .into_any(),
        SettingKind::Url => view! {
            <TextField state label=spec.label name=spec.key input_type="url" value hint />
        }
        .into_any(),
        SettingKind::Approver => view! {
            <SelectField state label=spec.label name=spec.key options=approvers.to_vec() selected=value />
            <p class="field-hint">{hint}</p>
        }
        .into_any(),
    }
}
