//! CON-4: `/console/integrations` (the list, with Inactivate / Activate per row),
//! `/console/integrations/new` and `/console/integrations/{id}` (the form: Client ID, Name,
//! admin groups as checkboxes, sales groups picked by a search), and
//! `/console/integrations/{id}/secret` (the client secret, shown once). Every form posts without
//! JavaScript too; the organization search is a GET of the same form, keeping what was typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::console::integrations::{
    activate_integration, create_integration, inactivate_integration, integration_choices, integration_editor,
    integration_list, integration_secret, notice_text, replace_integration_secret, save_integration,
    IntegrationDetails, IntegrationOptions, OrganizationChoice, INTEGRATIONS,
};
use crate::api::types::FormSubmission;
use crate::domain::integration::IntegrationForm;
use crate::ui::components::{
    read_form, refusal, CheckboxGroup, ConsoleNav, FormActions, FormAlert, FormState, TextField,
};

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let query = use_query_map();
    let after = move || query.read().get("after").unwrap_or_default();
    let version = RwSignal::new(0_u32);
    let list = Resource::new(move || (after(), version.get()), |(after, _)| integration_list(after));
    view! {
        <Title text="Integration users" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, INTEGRATIONS),
                    Ok(page) => view! {
                        <section class="panel wide">
                            <h1>"Integration users"</h1>
                            <ConsoleNav current=INTEGRATIONS />
                            <p>"The merchant's other systems (CPQ, ERP, CRM) call the JSON API under /api/v1 with these client credentials."</p>
                            <p><a class="button" href=format!("{INTEGRATIONS}/new")>"Create"</a></p>
                            {if page.rows.is_empty() {
                                view! { <p class="notice" role="status">"There are no integration users yet."</p> }.into_any()
                            } else {
                                view! { <IntegrationTable rows=page.rows version /> }.into_any()
                            }}
                            {page.next_after.map(|after| {
                                let href = format!("{INTEGRATIONS}?{}", serde_html_form::to_string([("after", after)]).unwrap_or_default());
                                view! { <nav class="pager" aria-label="Pages"><a href=href>"Next page"</a></nav> }
                            })}
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IntegrationTable(
    rows: Vec<crate::api::console::integrations::IntegrationLine>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let state = FormState::new();
    view! {
        <FormAlert state />
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Integration users by Client ID"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Client ID"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Admin groups"</th>
                        <th scope="col">"Sales groups"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let href = format!("{INTEGRATIONS}/{}", r.id);
                        let id = r.id.clone();
                        let action = if r.active {
                            let call = move || inactivate_integration(id.clone());
                            view! {
                                <crate::ui::components::RowAction action=format!("{INTEGRATIONS}/{}/inactivate", r.id)
                                    label=format!("Inactivate {}", r.client_id) text="Inactivate" hidden=Vec::new()
                                    state version call />
                            }.into_any()
                        } else {
                            let call = move || activate_integration(id.clone());
                            view! {
                                <crate::ui::components::RowAction action=format!("{INTEGRATIONS}/{}/activate", r.id)
                                    label=format!("Activate {}", r.client_id) text="Activate" hidden=Vec::new()
                                    state version call />
                            }.into_any()
                        };
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{r.client_id.clone()}</a></th>
                                <td>{r.name}</td>
                                <td>{if r.active { "Active" } else { "Inactive" }}</td>
                                <td>{r.scopes}</td>
                                <td>{if r.organizations == 0 { "All organizations".to_owned() } else { r.organizations.to_string() }}</td>
                                <td class="actions">{action}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What the form shows: a failed plain post's values first (REG-14), then a search's (the
/// query of "Find organizations"), then the stored ones.
fn shown_values(
    posted: Option<&FormSubmission>,
    query: &ParamsMap,
    stored: Option<IntegrationForm>,
) -> (IntegrationForm, String, bool) {
    if let Some(p) = posted.filter(|p| !p.values.is_empty() || !p.errors.is_empty()) {
        let form = IntegrationForm {
            client_id: p.value("client_id"),
            name: p.value("name"),
            scopes: p.values_of("scopes"),
            organizations: p.values_of("organizations"),
        };
        return (form, p.value("org_q"), true);
    }
    if query.get("find").is_some() {
        let form = IntegrationForm {
            client_id: query.get("client_id").unwrap_or_default(),
            name: query.get("name").unwrap_or_default(),
            scopes: query.get_all("scopes").unwrap_or_default(),
            organizations: query.get_all("organizations").unwrap_or_default(),
        };
        return (form, query.get("org_q").unwrap_or_default(), true);
    }
    (stored.unwrap_or_default(), String::new(), false)
}

/// `/console/integrations/new` and `/console/integrations/{id}`.
#[component]
pub fn IntegrationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").filter(|id| id != "new").unwrap_or_default();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let version = RwSignal::new(0_u32);
    let posted = use_context::<FormSubmission>();
    let editor = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            if id.is_empty() {
                Ok(None)
            } else {
                integration_editor(id).await.map(Some)
            }
        },
    );
    let choices_key = {
        let posted = posted.clone();
        move || {
            let (form, org_q, given) = shown_values(posted.as_ref(), &query.read(), None);
            (id(), org_q, given.then_some(form.organizations), version.get())
        }
    };
    let choices = Resource::new(choices_key, |(id, org_q, chosen, _)| integration_choices(id, org_q, chosen));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let posted = posted.clone();
                Suspend::new(async move {
                    let here = match id() {
                        id if id.is_empty() => format!("{INTEGRATIONS}/new"),
                        id => format!("{INTEGRATIONS}/{id}"),
                    };
                    let (editor, choices) = (editor.await, choices.await);
                    let (editor, choices) = match (editor, choices) {
                        (Err(e), _) | (_, Err(e)) => return refusal(e, &here),
                        (Ok(editor), Ok(choices)) => (editor, choices),
                    };
                    let (values, org_q, _) =
                        shown_values(posted.as_ref(), &query.read_untracked(), editor.as_ref().map(|e| e.stored.clone()));
                    let title = if editor.is_some() { "Edit integration user" } else { "Create integration user" };
                    view! {
                        <Title text=title />
                        <section class="panel">
                            <p class="breadcrumb"><a href=INTEGRATIONS>"Integration users"</a></p>
                            <h1>{title}</h1>
                            <ConsoleNav current=INTEGRATIONS />
                            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                            <IntegrationEditorForm editor=editor.clone() choices values org_q action=here />
                            {editor.map(|editor| view! { <IntegrationAccessForms editor version /> })}
                        </section>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// The values of the form as a query string, for "Find organizations" (a GET of the form).
fn search_href(here: &str, form: &IntegrationForm, org_q: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("find", "1"), ("client_id", &form.client_id), ("name", &form.name)];
    pairs.extend(form.scopes.iter().map(|s| ("scopes", s.as_str())));
    pairs.extend(form.organizations.iter().map(|o| ("organizations", o.as_str())));
    pairs.push(("org_q", org_q));
    format!("{here}?{}", serde_html_form::to_string(&pairs).unwrap_or_default())
}

/// Whether the form was submitted by its "Find organizations" button.
fn submitted_by_search(ev: &SubmitEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        ev.submitter().and_then(|button| button.get_attribute("name")).is_some_and(|name| name == "find")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct Search {
    #[serde(default)]
    org_q: String,
}

#[component]
fn IntegrationEditorForm(
    editor: Option<IntegrationDetails>,
    choices: IntegrationOptions,
    values: IntegrationForm,
    org_q: String,
    action: String,
) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = editor.as_ref().map(|e| e.id.clone());
    let here = action.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: IntegrationForm = read_form(&ev);
        if submitted_by_search(&ev) {
            let search: Search = read_form(&ev);
            navigate(&search_href(&here, &form, &search.org_q), Default::default());
            return;
        }
        let checked = match &id {
            Some(_) => form.validate_access().map(|_| ()),
            None => form.validate_new().map(|_| ()),
        };
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => save_integration(id, form).await,
                None => create_integration(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let organizations_error = move || state.error_for("organizations");
    let chosen_ids: Vec<String> = choices.chosen.iter().map(|o| o.id.clone()).collect();
    let found: Vec<OrganizationChoice> = choices.found.into_iter().filter(|o| !chosen_ids.contains(&o.id)).collect();
    let searched = !org_q.trim().is_empty();
    let no_match = (searched && found.is_empty())
        .then(|| view! { <p class="notice" role="status">"No organization matches."</p> });
    let checkbox = |o: OrganizationChoice, checked: bool| {
        let input_id = format!("organization-{}", o.id);
        view! {
            <div class="field field-checkbox">
                <input type="checkbox" id=input_id.clone() name="organizations" value=o.id checked=checked />
                <label for=input_id>{format!("{} ({})", o.name, o.registry_id)}</label>
            </div>
        }
    };
    let is_new = editor.is_none();
    let button = if is_new { "Create" } else { "Save" };
    let search_action = action.clone();
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            {match &editor {
                None => view! {
                    <TextField state label="Client ID" name="client_id" required=true value=values.client_id.clone()
                        hint="The client ID your identity provider issued for the integration: 3 to 128 letters, digits and . _ - ~" />
                }.into_any(),
                Some(editor) => view! {
                    <p><strong>"Client ID: "</strong><code>{editor.client_id.clone()}</code>
                        " · " {if editor.active { "Active" } else { "Inactive" }}</p>
                }.into_any(),
            }}
            <TextField state label="Name" name="name" value=values.name.clone() hint="Optional: what the integration is for." />
            <CheckboxGroup state legend="Admin groups" name="scopes" options=choices.scopes chosen=values.scopes.clone()
                hint="The scopes of the JSON API this integration user may use (API-2)." />
            <fieldset class="group" class:field-invalid=move || organizations_error().is_some()
                aria-describedby=move || if organizations_error().is_some() { "organizations-hint organizations-error" } else { "organizations-hint" }>
                <legend>"Sales groups"</legend>
                <p class="field-hint" id="organizations-hint">"The organizations it may see and change. None chosen: every organization."</p>
                {choices.chosen.into_iter().map(|o| checkbox(o, true)).collect_view()}
                {found.into_iter().map(|o| checkbox(o, false)).collect_view()}
                {no_match}
                <div class="field">
                    <label for="org_q">"Find organizations"</label>
                    <p class="field-hint" id="org_q-hint">"The start of a name, or a Registry ID."</p>
                    <input id="org_q" name="org_q" type="search" value=org_q.clone() prop:value=org_q aria-describedby="org_q-hint" />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-secondary" name="find" value="1" formmethod="get"
                        formaction=search_action formnovalidate=true>"Find organizations"</button>
                </div>
                {move || organizations_error().map(|m| view! { <p class="field-error" id="organizations-error">{m}</p> })}
            </fieldset>
            <FormActions state label=button progress="Saving…">
                <a href=INTEGRATIONS>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

/// Inactivate / Activate and "Generate a new secret" of a stored integration user.
#[component]
fn IntegrationAccessForms(editor: IntegrationDetails, version: RwSignal<u32>) -> impl IntoView {
    let status = FormState::new();
    let secret = FormState::new();
    let navigate = use_navigate();
    let id = editor.id.clone();
    let (status_action, status_label, status_text) = if editor.active {
        (
            format!("{INTEGRATIONS}/{id}/inactivate"),
            "Inactivate",
            "Active. Once inactivated, its tokens stop working at once and it gets no new ones.",
        )
    } else {
        (
            format!("{INTEGRATIONS}/{id}/activate"),
            "Activate",
            "Inactive. Once activated, it can get tokens with its client secret again.",
        )
    };
    let active = editor.active;
    let on_status = {
        let (id, navigate) = (id.clone(), navigate.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (id, navigate) = (id.clone(), navigate.clone());
            let call = move || async move {
                if active {
                    inactivate_integration(id).await
                } else {
                    activate_integration(id).await
                }
            };
            status.submit(Ok(()), call, move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            });
        }
    };
    let on_secret = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (id, navigate) = (id.clone(), navigate.clone());
        secret.submit(
            Ok(()),
            move || replace_integration_secret(id),
            move |next: String| navigate(&next, Default::default()),
        );
    };
    view! {
        <h2>"Status"</h2>
        <p>{status_text}</p>
        <form method="post" action=status_action on:submit=on_status>
            <FormAlert state=status />
            <FormActions state=status label=status_label progress="Saving…" />
        </form>
        <h2>"Client secret"</h2>
        <p>"A new secret replaces the current one: the current secret and every token issued with it stop working."</p>
        <form method="post" action=format!("{INTEGRATIONS}/{}/secret", editor.id) on:submit=on_secret>
            <FormAlert state=secret />
            <FormActions state=secret label="Generate a new secret" progress="Generating…" />
        </form>
    }
    .into_any()
}

/// The client secret, shown once right after it was generated.
#[component]
pub fn IntegrationSecretPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let shown = Resource::new(id, integration_secret);
    view! {
        <Title text="Client secret" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{INTEGRATIONS}/{}", id());
                match shown.await {
                    Err(e) => refusal(e, &format!("{here}/secret")),
                    Ok(shown) => view! {
                        <section class="panel">
                            <p class="breadcrumb"><a href=INTEGRATIONS>"Integration users"</a></p>
                            <h1>"Client secret"</h1>
                            <ConsoleNav current=INTEGRATIONS />
                            {match shown {
                                Some(s) => view! {
                                    <p class="notice" role="status">"Copy the client secret now: it is shown only this once and cannot be read again."</p>
                                    <dl class="secret">
                                        <dt>"Client ID"</dt>
                                        <dd><code id="client-id">{s.client_id}</code></dd>
                                        <dt>"Client secret"</dt>
                                        <dd><code id="client-secret">{s.secret}</code></dd>
                                    </dl>
                                }.into_any(),
                                None => view! {
                                    <p class="notice" role="status">"The secret was shown once and cannot be shown again. If it is lost, generate a new one."</p>
                                }.into_any(),
                            }}
                            <p><a class="button" href=here>"Continue to the integration user"</a></p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
