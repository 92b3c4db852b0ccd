//! CON-1: `/console/user-types` (the list) and `/console/user-types/{key}` (the editor; `new`
//! for a new type). The form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::records::{code, text, yes_no, RecordRow, RecordTable};
use crate::api::console::user_types::{
    create_user_type, notice_text, update_user_type, user_type_editor, user_type_list, ChoiceView, UserTypeEditorInfo,
    USER_TYPES,
};
use crate::domain::user_type_form::{kind_label, kinds, USER_TYPE_GROUPS};
use crate::domain::UserTypeForm;
use crate::ui::components::{
    read_form, refusal, CheckboxGroup, ConsoleNav, FormActions, FormAlert, FormState, SelectField, TextField,
};

#[component]
pub fn UserTypesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| user_type_list());
    view! {
        <Title text="User types" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, USER_TYPES),
                    Ok(types) => view! {
                        <section class="panel wide">
                            <h1>"User types"</h1>
                            <ConsoleNav current=USER_TYPES />
                            <p>"Active self-service types are offered on the registration page at once."</p>
                            <RecordTable caption="User types, in the order registration lists them"
                                columns={&["Long name", "Key", "Kind", "Group", "Active", "Self-service"]}
                                rows={types.into_iter().map(|t| RecordRow {
                                    href: format!("{USER_TYPES}/{}", t.key),
                                    cells: vec![
                                        text(t.long_name.clone()),
                                        code(t.key),
                                        text(kind_label(t.kind)),
                                        text(group_label(t.group.as_deref())),
                                        text(yes_no(t.is_active)),
                                        text(yes_no(t.is_self_service)),
                                    ],
                                    name: t.long_name,
                                }).collect()}
                                empty="There are no user types." new_href=format!("{USER_TYPES}/new") new_label="New user type" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn UserTypePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.read().get("current_key").filter(|k| k != "new").unwrap_or_default();
    let editor = Resource::new(key, user_type_editor);
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = match key() {
                    k if k.is_empty() => format!("{USER_TYPES}/new"),
                    k => format!("{USER_TYPES}/{k}"),
                };
                match editor.await {
                    Err(e) => refusal(e, &here),
                    Ok(editor) => {
                        let title = if editor.stored.is_some() { "Edit user type" } else { "New user type" };
                        view! {
                            <Title text=title />
                            <section class="panel">
                                <p class="breadcrumb"><a href=USER_TYPES>"User types"</a></p>
                                <h1>{title}</h1>
                                <ConsoleNav current=USER_TYPES />
                                {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                                <UserTypeEditorForm editor action=here />
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTypeEditorForm(editor: UserTypeEditorInfo, action: String) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let current_key = editor.stored.as_ref().map(|s| s.key.clone());
    // A failed plain post shows what was posted (REG-14); otherwise the stored type.
    let values = match editor.stored {
        Some(stored) if !state.is_resubmission() => stored,
        Some(_) => posted(state),
        // A new type starts active and self-service: what a merchant adds a type for.
        None if !state.is_resubmission() => UserTypeForm { active: true, self_service: true, ..Default::default() },
        None => posted(state),
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: UserTypeForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (current_key, navigate) = (current_key.clone(), navigate.clone());
        let call = move || async move {
            match current_key {
                Some(current_key) => update_user_type(current_key, form).await,
                None => create_user_type(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let groups: Vec<(String, String)> = std::iter::once((String::new(), "None (listed under Others)".to_owned()))
        .chain(USER_TYPE_GROUPS.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())))
        .collect();
    let kind_options: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_owned()))
        .chain(kinds().map(|k| (k.to_string(), kind_label(k).to_owned())))
        .collect();
    let definitions: Vec<(String, String)> = std::iter::once((String::new(), "None: approved at once".to_owned()))
        .chain(options(editor.definitions))
        .collect();
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Key" name="key" required=true value=values.key
                hint="Lower-case letters, digits and underscores; the registration address is /register/{key}." />
            <TextField state label="Long name" name="long_name" required=true value=values.long_name
                hint="What registrants see on the registration page." />
            <TextField state label="Short name" name="short_name" required=true value=values.short_name />
            <SelectField state label="Group" name="group" options=groups selected=values.group />
            <SelectField state label="Kind" name="kind" required=true options=kind_options selected=values.kind />
            <p class="field-hint">"The kind decides which registration form and which organization rules apply."</p>
            <SelectField state label="Approval definition" name="approval_definition" options=definitions
                selected=values.approval_definition />
            <CheckboxGroup state legend="Roles" name="roles" options=options(editor.roles) chosen=values.roles
                hint="Granted when a registration of this type is approved." />
            <CheckboxGroup state legend="Enrollments" name="enrollments" options=options(editor.enrollments)
                chosen=values.enrollments />
            <TextField state label="Sort order" name="sort_order" input_type="number" value=values.sort_order
                hint="Lower numbers are listed first." />
            <div class="field field-checkbox">
                <input id="active" name="active" type="checkbox" value="on" checked=values.active />
                <label for="active">"Active"</label>
            </div>
            <div class="field field-checkbox">
                <input id="self_service" name="self_service" type="checkbox" value="on" checked=values.self_service />
                <label for="self_service">"Self-service (offered on the registration page)"</label>
            </div>
            <FormActions state label="Save" progress="Saving…">
                <a href=USER_TYPES>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

fn posted(state: FormState) -> UserTypeForm {
    UserTypeForm {
        key: state.value("key"),
        long_name: state.value("long_name"),
        short_name: state.value("short_name"),
        group: state.value("group"),
        kind: state.value("kind"),
        approval_definition: state.value("approval_definition"),
        roles: state.values_of("roles"),
        enrollments: state.values_of("enrollments"),
        active: state.checked("active"),
        self_service: state.checked("self_service"),
        sort_order: state.value("sort_order"),
    }
}

fn options(choices: Vec<ChoiceView>) -> Vec<(String, String)> {
    choices.into_iter().map(|c| (c.id, c.name)).collect()
}

fn group_label(group: Option<&str>) -> &'static str {
    USER_TYPE_GROUPS.iter().find(|(k, _)| Some(*k) == group).map(|(_, l)| *l).unwrap_or("Others")
}
