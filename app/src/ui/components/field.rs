//! A labelled form field with its error next to it, tied to the input with
//! `aria-describedby` and `aria-invalid` (REG-14).

use leptos::prelude::*;

use super::form::FormState;

#[component]
pub fn TextField(
    state: FormState,
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let error = move || state.error_for(name);
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let has_hint = hint.is_some();
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for=name>
                {label}
                {required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}
            </label>
            {hint.clone().map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=name
                name=name
                type=input_type
                // The attribute for the server's HTML; the property so that a view rebuilt with
                // new stored values (after a save without reload) shows them even in a field
                // the user typed in (the attribute alone only sets the default).
                value=value.clone()
                prop:value=value
                required=required
                autocomplete=autocomplete
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            />
            {move || error().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

#[component]
pub fn Checkbox(label: &'static str, name: &'static str, #[prop(optional)] checked: bool) -> impl IntoView {
    view! {
        <div class="field field-checkbox">
            <input id=name name=name type="checkbox" value="on" checked=checked />
            <label for=name>{label}</label>
        </div>
    }
}

/// A labelled `<select>` with its error tied to it, like `TextField`.
#[component]
pub fn SelectField(
    state: FormState,
    label: &'static str,
    name: &'static str,
    /// (value, text) pairs; the first may be a ("", "Choose …") placeholder.
    options: Vec<(String, String)>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] selected: String,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let error = move || state.error_for(name);
    let error_id = format!("{name}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error().map(|_| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for=name>
                {label}
                {required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=name
                name=name
                required=required
                autocomplete=autocomplete
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {move || error().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The New password and Confirm new password fields of every set-password form (LOG-6).
#[component]
pub fn NewPasswordFields(state: FormState) -> impl IntoView {
    view! {
        <TextField state label="New password" name="new_password" input_type="password" required=true autocomplete="new-password"
            hint="At least 12 characters. Avoid your name, your username and common passwords." />
        <TextField state label="Confirm new password" name="new_password_confirm" input_type="password" required=true autocomplete="new-password" />
    }
    // Type-erased: nested in a page's form, the view type otherwise exceeds the compiler's
    // recursion limit in the crates that link the app.
    .into_any()
}

/// Several choices as checkboxes in a fieldset (never a multi-select), each posted as `name`
/// with its value; the error of `name` is tied to the group.
#[component]
pub fn CheckboxGroup(
    state: FormState,
    legend: &'static str,
    name: &'static str,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    #[prop(optional)] chosen: Vec<String>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let error = move || state.error_for(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let has_hint = hint.is_some();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<String> =
                [has_hint.then(|| hint_id.clone()), error().map(|_| error_id.clone())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let empty = options.is_empty().then(|| view! { <p class="field-hint">"There is nothing to choose yet."</p> });
    view! {
        <fieldset class="group" class:field-invalid=move || error().is_some() aria-describedby=described_by>
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            {empty}
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (value, label))| {
                    let input_id = format!("{name}-{i}");
                    let checked = chosen.contains(&value);
                    view! {
                        <div class="field field-checkbox">
                            <input type="checkbox" id=input_id.clone() name=name value=value checked=checked />
                            <label for=input_id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            {move || error().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </fieldset>
    }
    .into_any()
}
