//! CON-2, specialty sites (ADM-5): `/console/sites` (the list) and `/console/sites/{id}` (or
//! `new`): key, name, required role, active. The form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::catalog::CatalogHeading;
use super::records::{code, notice_view, options, page_id, text, yes_no, RecordRow, RecordTable};
use crate::api::console::catalog::{
    create_site, notice_text, site_editor, site_list, update_site, SiteEditorInfo, SITES,
};
use crate::domain::catalog::SiteForm;
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, SelectField, TextField};

#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let list = Resource::new(|| (), |_| site_list());
    view! {
        <Title text="Sites" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, SITES),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <CatalogHeading title="Sites".into() current=SITES />
                            {move || notice_view(notice())}
                            <p>"The merchant's specialty sites. A user gets a site when granted its required role; companies' administrators assign and remove sites too (ADM-5)."</p>
                            <RecordTable caption="Specialty sites by key" columns={&["Name", "Key", "Required role", "Active"]}
                                rows={list.into_iter().map(|s| RecordRow {
                                    href: format!("{SITES}/{}", s.id),
                                    cells: vec![
                                        text(s.name.clone()),
                                        code(s.key),
                                        text(s.required_role.unwrap_or_else(|| "None".into())),
                                        text(yes_no(s.active)),
                                    ],
                                    name: s.name,
                                }).collect()}
                                empty="There are no sites yet." new_href=format!("{SITES}/new") new_label="New site" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SitePage() -> impl IntoView {
    let id = page_id();
    let editor = Resource::new(id, |id| site_editor(id.unwrap_or_default()));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{SITES}/{}", id().unwrap_or_else(|| "new".into()));
                match editor.await {
                    Err(e) => refusal(e, &here),
                    Ok(editor) => {
                        let title = match &editor.stored {
                            Some((_, f)) => format!("Site: {}", f.name),
                            None => "New site".to_owned(),
                        };
                        view! {
                            <Title text=title.clone() />
                            <section class="panel">
                                <p class="breadcrumb"><a href=SITES>"Sites"</a></p>
                                <CatalogHeading title current=SITES />
                                <SiteEditor editor action=here />
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
fn SiteEditor(editor: SiteEditorInfo, action: String) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = editor.stored.as_ref().map(|(id, _)| id.clone());
    let stored_key = editor.stored.as_ref().map(|(_, f)| f.key.clone());
    let values = match editor.stored {
        Some((_, stored)) if !state.is_resubmission() => stored,
        None if !state.is_resubmission() => SiteForm { active: true, ..Default::default() },
        Some(_) | None => SiteForm {
            key: state.value("key"),
            name: state.value("name"),
            required_role_id: state.value("required_role_id"),
            active: state.checked("active"),
        },
    };
    let creating = id.is_none();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: SiteForm = read_form(&ev);
        let checked = form.validate(creating).map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => update_site(id, form).await,
                None => create_site(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let roles: Vec<(String, String)> =
        std::iter::once((String::new(), "None".to_owned())).chain(options(editor.roles)).collect();
    let key_field = match stored_key {
        Some(key) => view! { <p>"Key: " <code>{key}</code> " (it never changes)"</p> }.into_any(),
        None => view! {
            <TextField state label="Key" name="key" required=true value=values.key.clone()
                hint="2 to 50 lower-case letters, digits and _, starting with a letter. It never changes." />
        }
        .into_any(),
    };
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            {key_field}
            <TextField state label="Name" name="name" required=true value=values.name />
            <SelectField state label="Required role" name="required_role_id" options=roles selected=values.required_role_id />
            <p class="field-hint">"Users granted this role from now on get the site. Nobody gains or loses the site when the required role changes."</p>
            <div class="field field-checkbox">
                <input id="active" name="active" type="checkbox" value="on" checked=values.active />
                <label for="active">"Active"</label>
            </div>
            <FormActions state label="Save" progress="Saving…">
                <a href=SITES>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}
