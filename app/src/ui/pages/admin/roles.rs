//! `/admin/roles` (ADM-7, MANAGE_ROLES): the seeded roles (read-only) and the company's custom
//! roles; the form of a new or existing custom role (only the caller's own permissions are
//! offered); the confirmation of a deletion. Every form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::admin::roles::{
    create_role, delete_role, notice_text, role_deletion, role_editor, role_management, update_role, RoleDeletionInfo,
    RoleEditorInfo,
};
use crate::api::admin::user_roles::RoleView;
use crate::api::admin::ROLES;
use crate::domain::{permission_label, permission_list, PermissionSet, RoleForm};
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, TextField};

#[component]
pub fn RoleManagementPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let info = Resource::new(|| (), |_| role_management());
    view! {
        <Title text="Role Management" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, ROLES),
                    Ok(info) => view! {
                        <section class="panel wide">
                            <h1>"Role Management"</h1>
                            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                            <h2>"Your company's roles"</h2>
                            {if info.custom.is_empty() {
                                view! { <p>"Your company has no roles of its own yet."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="data">
                                            <caption class="visually-hidden">"Your company's roles"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Name"</th>
                                                    <th scope="col">"Description"</th>
                                                    <th scope="col">"Permissions"</th>
                                                    <th scope="col">"Actions"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {info.custom.into_iter().map(|c| {
                                                    let actions = if c.editable {
                                                        let edit = format!("{ROLES}/{}", c.role.id);
                                                        let delete = format!("{ROLES}/{}/delete", c.role.id);
                                                        view! {
                                                            <a class="button button-secondary" href=edit aria-label=format!("Edit {}", c.role.name)>"Edit"</a>
                                                            " "
                                                            <a class="button button-secondary" href=delete aria-label=format!("Delete {}", c.role.name)>"Delete"</a>
                                                        }
                                                        .into_any()
                                                    } else {
                                                        view! { <span>"Wider than your own permissions"</span> }.into_any()
                                                    };
                                                    view! { <RoleRow role=c.role actions /> }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                .into_any()
                            }}
                            <p><a class="button" href=format!("{ROLES}/new")>"Add a role"</a></p>
                            <h2>"Seeded roles"</h2>
                            <p>"The merchant's roles. They cannot be changed here."</p>
                            <div class="table-scroll">
                                <table class="data">
                                    <caption class="visually-hidden">"Seeded roles"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Description"</th>
                                            <th scope="col">"Permissions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {info.seeded.into_iter().map(|role| view! {
                                            <tr>
                                                <td>{role.name}</td>
                                                <td>{role.description.unwrap_or_default()}</td>
                                                <td class="permissions"><span>{permission_list(&role.permissions)}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoleRow(role: RoleView, actions: AnyView) -> impl IntoView {
    view! {
        <tr>
            <td>{role.name}</td>
            <td>{role.description.unwrap_or_default()}</td>
            <td class="permissions"><span>{permission_list(&role.permissions)}</span></td>
            <td class="actions">{actions}</td>
        </tr>
    }
}

#[component]
pub fn NewRolePage() -> impl IntoView {
    view! { <RoleEditorPage id=None /> }
}

#[component]
pub fn EditRolePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    view! { <RoleEditorPage id=Some(id) /> }
}

#[component]
fn RoleEditorPage(id: Option<String>) -> impl IntoView {
    let key = id.clone().unwrap_or_default();
    let info = Resource::new(move || key.clone(), role_editor);
    let title = if id.is_some() { "Edit role" } else { "Add a role" };
    let here = match &id {
        Some(id) => format!("{ROLES}/{id}"),
        None => format!("{ROLES}/new"),
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    match info.await {
                        Err(e) => refusal(e, &here),
                        Ok(info) => view! {
                            <section class="panel">
                                <p class="breadcrumb"><a href=ROLES>"Role Management"</a></p>
                                <h1>{title}</h1>
                                <RoleEditor info />
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoleEditor(info: RoleEditorInfo) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = info.role.as_ref().map(|r| r.id.clone());
    let action = match &id {
        Some(id) => format!("{ROLES}/{id}"),
        None => format!("{ROLES}/new"),
    };
    // A failed plain post shows what was posted (REG-14); otherwise the stored role.
    let values = match info.role {
        Some(r) if !state.is_resubmission() => RoleForm::of(&r.name, r.description.as_deref(), &r.permissions),
        _ => RoleForm {
            name: state.value("name"),
            description: state.value("description"),
            permissions: state.values_of("permissions"),
        },
    };
    let offered: PermissionSet = info.offered.iter().copied().collect();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: RoleForm = read_form(&ev);
        let checked = form.validate(&offered).map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => update_role(id, form).await,
                None => create_role(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let description_error = move || state.error_for("description");
    let permissions_error = move || state.error_for("permissions");
    let chosen = values.permissions.clone();
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Name" name="name" required=true value=values.name />
            <div class="field" class:field-invalid=move || description_error().is_some()>
                <label for="description">"Description"</label>
                <textarea id="description" name="description" rows="3" maxlength="500"
                    aria-invalid=move || if description_error().is_some() { "true" } else { "false" }
                    aria-describedby=move || description_error().map(|_| "description-error")>{values.description}</textarea>
                {move || description_error().map(|m| view! { <p class="field-error" id="description-error">{m}</p> })}
            </div>
            // Several choices are checkboxes, one per permission the author holds (ADM-7).
            <fieldset class="group" class:field-invalid=move || permissions_error().is_some()
                aria-describedby=move || if permissions_error().is_some() { "permissions-hint permissions-error" } else { "permissions-hint" }>
                <legend>"Permissions" <span class="required-mark" aria-hidden="true">" *"</span></legend>
                <p class="field-hint" id="permissions-hint">"Choose at least one. Only the permissions you hold yourself are offered."</p>
                {info.offered.into_iter().map(|p| {
                    let code = p.to_string();
                    let input_id = format!("permission-{code}");
                    let checked = chosen.contains(&code);
                    view! {
                        <div class="field field-checkbox">
                            <input type="checkbox" id=input_id.clone() name="permissions" value=code checked=checked />
                            <label for=input_id>{permission_label(p)}</label>
                        </div>
                    }
                }).collect_view()}
                {move || permissions_error().map(|m| view! { <p class="field-error" id="permissions-error">{m}</p> })}
            </fieldset>
            <FormActions state label="Save" progress="Saving…">
                <a href=ROLES>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
pub fn DeleteRolePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let info = Resource::new(id, role_deletion);
    view! {
        <Title text="Delete role" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &format!("{ROLES}/{}/delete", id())),
                    Ok(info) => view! { <DeleteRoleForm info /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeleteRoleForm(info: RoleDeletionInfo) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = info.role.id.clone();
    let action = format!("{ROLES}/{id}/delete");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (id, navigate) = (id.clone(), navigate.clone());
        state.submit(Ok(()), move || delete_role(id), move |next: String| navigate(&next, Default::default()));
    };
    let holders = match info.holders {
        0 => "No user holds this role.".to_owned(),
        1 => "1 user holds this role and loses its permissions from their next page.".to_owned(),
        n => format!("{n} users hold this role and lose its permissions from their next page."),
    };
    view! {
        <section class="panel">
            <p class="breadcrumb"><a href=ROLES>"Role Management"</a></p>
            <h1>"Delete role"</h1>
            <p>{format!("Delete the role {}?", info.role.name)}</p>
            <p>{holders}</p>
            <form method="post" action=action on:submit=on_submit>
                <FormAlert state />
                <FormActions state label="Delete" progress="Deleting…">
                    <a href=ROLES>"Cancel"</a>
                </FormActions>
            </form>
        </section>
    }
}
