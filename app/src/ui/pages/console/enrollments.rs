//! CON-2, enrollments (APR-10): `/console/enrollments` (the list) and
//! `/console/enrollments/{id}` (or `new`): key, name, description, approval definition, roles
//! as checkboxes, active. The form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::catalog::CatalogHeading;
use super::records::{code, notice_view, options, page_id, text, yes_no, RecordRow, RecordTable};
use crate::api::console::catalog::{
    create_enrollment, enrollment_editor, enrollment_list, notice_text, update_enrollment, EnrollmentEditorInfo,
    ENROLLMENTS,
};
use crate::domain::catalog::EnrollmentForm;
use crate::ui::components::{
    read_form, refusal, CheckboxGroup, FormActions, FormAlert, FormState, SelectField, TextField,
};

#[component]
pub fn EnrollmentsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let list = Resource::new(|| (), |_| enrollment_list());
    view! {
        <Title text="Enrollments" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, ENROLLMENTS),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <CatalogHeading title="Enrollments".into() current=ENROLLMENTS />
                            {move || notice_view(notice())}
                            <p>"Enrollments are add-on services users ask for during or after registration; each grants roles, at once or after its approval definition's steps (APR-10)."</p>
                            <RecordTable caption="Enrollments by key" columns={&["Name", "Key", "Approval", "Roles", "Active"]}
                                rows={list.into_iter().map(|e| RecordRow {
                                    href: format!("{ENROLLMENTS}/{}", e.id),
                                    cells: vec![
                                        text(e.name.clone()),
                                        code(e.key),
                                        text(e.approval_definition.unwrap_or_else(|| "None: granted at once".into())),
                                        text(e.roles.join(", ")),
                                        text(yes_no(e.active)),
                                    ],
                                    name: e.name,
                                }).collect()}
                                empty="There are no enrollments yet." new_href=format!("{ENROLLMENTS}/new") new_label="New enrollment" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EnrollmentPage() -> impl IntoView {
    let id = page_id();
    let editor = Resource::new(id, |id| enrollment_editor(id.unwrap_or_default()));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{ENROLLMENTS}/{}", id().unwrap_or_else(|| "new".into()));
                match editor.await {
                    Err(e) => refusal(e, &here),
                    Ok(editor) => {
                        let title = match &editor.stored {
                            Some((_, f)) => format!("Enrollment: {}", f.name),
                            None => "New enrollment".to_owned(),
                        };
                        view! {
                            <Title text=title.clone() />
                            <section class="panel">
                                <p class="breadcrumb"><a href=ENROLLMENTS>"Enrollments"</a></p>
                                <CatalogHeading title current=ENROLLMENTS />
                                <EnrollmentEditor editor action=here />
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
fn EnrollmentEditor(editor: EnrollmentEditorInfo, action: String) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = editor.stored.as_ref().map(|(id, _)| id.clone());
    let stored_key = editor.stored.as_ref().map(|(_, f)| f.key.clone());
    let values = match editor.stored {
        Some((_, stored)) if !state.is_resubmission() => stored,
        None if !state.is_resubmission() => EnrollmentForm { active: true, ..Default::default() },
        Some(_) | None => EnrollmentForm {
            key: state.value("key"),
            name: state.value("name"),
            description: state.value("description"),
            approval_definition_id: state.value("approval_definition_id"),
            roles: state.values_of("roles"),
            active: state.checked("active"),
        },
    };
    let creating = id.is_none();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: EnrollmentForm = read_form(&ev);
        let checked = form.validate(creating).map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => update_enrollment(id, form).await,
                None => create_enrollment(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let definitions: Vec<(String, String)> = std::iter::once((String::new(), "None: granted at once".to_owned()))
        .chain(options(editor.definitions))
        .collect();
    let key_field = match stored_key {
        Some(key) => {
            view! { <p>"Key: " <code>{key}</code> " (it never changes: users ask for an enrollment by its key)"</p> }
                .into_any()
        }
        None => view! {
            <TextField state label="Key" name="key" required=true value=values.key.clone()
                hint="2 to 50 lower-case letters, digits and _, starting with a letter. It never changes." />
        }
        .into_any(),
    };
    let description_error = move || state.error_for("description");
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            {key_field}
            <TextField state label="Name" name="name" required=true value=values.name />
            <div class="field" class:field-invalid=move || description_error().is_some()>
                <label for="description">"Description"</label>
                <textarea id="description" name="description" rows="3" maxlength="500"
                    aria-invalid=move || if description_error().is_some() { "true" } else { "false" }
                    aria-describedby=move || description_error().map(|_| "description-error")>{values.description}</textarea>
                {move || description_error().map(|m| view! { <p class="field-error" id="description-error">{m}</p> })}
            </div>
            <SelectField state label="Approval definition" name="approval_definition_id" options=definitions
                selected=values.approval_definition_id />
            <CheckboxGroup state legend="Roles" name="roles" options=options(editor.roles) chosen=values.roles
                hint="Granted when the enrollment is approved (at least one)." />
            <div class="field field-checkbox">
                <input id="active" name="active" type="checkbox" value="on" checked=values.active />
                <label for="active">"Active (users may ask for it)"</label>
            </div>
            <FormActions state label="Save" progress="Saving…">
                <a href=ENROLLMENTS>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}
