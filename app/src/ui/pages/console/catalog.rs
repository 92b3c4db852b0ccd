//! CON-2, the "Roles and sites" section: `/console/roles` (the merchant's roles: the seeded
//! ones, whose permissions may change, and the merchant's own) and `/console/roles/{id}` (or
//! `new`). The section's other tabs are `enrollments.rs` and `sites.rs`. The forms post without
//! JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use strum::IntoEnumIterator;

use super::records::{code, notice_view, page_id, text, RecordRow, RecordTable};
use crate::api::console::catalog::{
    create_merchant_role, merchant_role_detail, merchant_roles, notice_text, update_merchant_role, MerchantRoleView,
    ROLES, ROLES_AND_SITES_TABS,
};
use crate::domain::catalog::MerchantRoleForm;
use crate::domain::{permission_label, permission_list, Permission};
use crate::ui::components::{
    read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState, SectionTabs, TextField,
};

/// The heading of every page of the section: h1, the console's menu, the section's tabs.
#[component]
pub(crate) fn CatalogHeading(title: String, current: &'static str) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <ConsoleNav current=ROLES />
        <SectionTabs label="Roles and sites" tabs=ROLES_AND_SITES_TABS current />
    }
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let list = Resource::new(|| (), |_| merchant_roles());
    view! {
        <Title text="Roles" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, ROLES),
                    Ok(roles) => view! {
                        <section class="panel wide">
                            <CatalogHeading title="Roles".into() current=ROLES />
                            {move || notice_view(notice())}
                            <p>"The merchant's roles: the seeded roles (their key and name are fixed; their permissions may change) and the merchant's own. User types, enrollments and sites name them. Companies' own roles are managed by their administrators."</p>
                            <RecordTable caption="The merchant's roles, seeded first" columns={&["Name", "Key", "Description", "Permissions"]}
                                rows={roles.into_iter().map(|r| RecordRow {
                                    href: format!("{ROLES}/{}", r.id),
                                    cells: vec![
                                        text(r.name.clone()),
                                        r.key.map(code).unwrap_or_else(|| text("")),
                                        text(r.description.unwrap_or_default()),
                                        view! { <span class="permissions">{permission_list(&r.permissions)}</span> }.into_any(),
                                    ],
                                    name: r.name,
                                }).collect()}
                                empty="There are no roles yet." new_href=format!("{ROLES}/new") new_label="New role" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RolePage() -> impl IntoView {
    let id = page_id();
    let info = Resource::new(id, |id| async move {
        match id {
            // The server decides who may open the form (SEC-5), as for every console page.
            None => merchant_roles().await.map(|_| None),
            Some(id) => merchant_role_detail(id).await.map(Some),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{ROLES}/{}", id().unwrap_or_else(|| "new".into()));
                match info.await {
                    Err(e) => refusal(e, &here),
                    Ok(role) => {
                        let title = match &role {
                            Some(r) => format!("Role: {}", r.name),
                            None => "New role".to_owned(),
                        };
                        view! {
                            <Title text=title.clone() />
                            <section class="panel">
                                <p class="breadcrumb"><a href=ROLES>"Roles"</a></p>
                                <CatalogHeading title current=ROLES />
                                <RoleEditor role action=here />
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
fn RoleEditor(role: Option<MerchantRoleView>, action: String) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = role.as_ref().map(|r| r.id.clone());
    let seeded = role.as_ref().is_some_and(|r| r.is_seeded);
    let essentials = role.as_ref().map(|r| r.essentials.clone()).unwrap_or_default();
    let values = match &role {
        Some(r) if !state.is_resubmission() => MerchantRoleForm {
            name: r.name.clone(),
            description: r.description.clone().unwrap_or_default(),
            permissions: r.permissions.iter().map(|p| p.to_string()).collect(),
        },
        _ => MerchantRoleForm {
            name: state.value("name"),
            description: state.value("description"),
            permissions: state.values_of("permissions"),
        },
    };
    let browser_essentials = essentials.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: MerchantRoleForm = read_form(&ev);
        let checked = if seeded {
            form.validate_permissions(&browser_essentials).map(|_| ()).map_err(|e| vec![e])
        } else {
            form.validate().map(|_| ())
        };
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => update_merchant_role(id, form).await,
                None => create_merchant_role(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let fixed = role.as_ref().filter(|r| r.is_seeded).map(|r| {
        view! {
            <dl class="details">
                <dt>"Name"</dt><dd>{r.name.clone()}</dd>
                <dt>"Key"</dt><dd><code>{r.key.clone().unwrap_or_default()}</code></dd>
                <dt>"Description"</dt><dd>{r.description.clone().unwrap_or_default()}</dd>
            </dl>
            <p class="field-hint">"A seeded role keeps its key, name and description; its permissions may change."</p>
        }
    });
    let own_fields = (!seeded).then(|| {
        let description_error = move || state.error_for("description");
        view! {
            <TextField state label="Name" name="name" required=true value=values.name.clone() />
            <div class="field" class:field-invalid=move || description_error().is_some()>
                <label for="description">"Description"</label>
                <textarea id="description" name="description" rows="3" maxlength="500"
                    aria-invalid=move || if description_error().is_some() { "true" } else { "false" }
                    aria-describedby=move || description_error().map(|_| "description-error")>{values.description.clone()}</textarea>
                {move || description_error().map(|m| view! { <p class="field-error" id="description-error">{m}</p> })}
            </div>
        }
    });
    let permissions_error = move || state.error_for("permissions");
    let chosen = values.permissions.clone();
    let hint = if essentials.is_empty() {
        "Holders of the role have these permissions from their next page.".to_owned()
    } else {
        format!(
            "Holders of the role have these permissions from their next page. A company administrator needs {}: this role keeps them.",
            permission_list(&essentials)
        )
    };
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            {fixed}
            {own_fields}
            <fieldset class="group" class:field-invalid=move || permissions_error().is_some()
                aria-describedby=move || if permissions_error().is_some() { "permissions-hint permissions-error" } else { "permissions-hint" }>
                <legend>"Permissions"</legend>
                <p class="field-hint" id="permissions-hint">{hint}</p>
                {Permission::iter().map(|p| {
                    let code = p.to_string();
                    let input_id = format!("permission-{code}");
                    let essential = essentials.contains(&p);
                    let checked = essential || chosen.contains(&code);
                    // An essential permission cannot be unchecked; a disabled box is not posted,
                    // so a hidden field carries it.
                    view! {
                        <div class="field field-checkbox">
                            <input type="checkbox" id=input_id.clone() name="permissions" value=code.clone() checked=checked disabled=essential />
                            {essential.then(|| view! { <input type="hidden" name="permissions" value=code.clone() /> })}
                            <label for=input_id>{permission_label(p)}{essential.then_some(" (kept)")}</label>
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
