//! CON-3 `/console/users` (search all users), `/console/users/new` (a bare user) and a user's
//! page `/console/users/{id}` with Enable and the links to the other actions
//! (`user_actions.rs`). Plain forms that work without JavaScript, submitted through their
//! server functions with it; the server refuses anyone but a merchant admin (SEC-5).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::console::users::{
    console_user, console_users, create_bare_user, enable_user, may_create_users, notice_text, status_label, user_href,
    UserDetail, NEW_USER, STATUS_FILTERS, USERS,
};
use crate::domain::console_user::{BareUserForm, JustificationForm};
use crate::ui::components::{
    read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState, SelectField, TextField,
};

fn list_href(pairs: &[(&str, String)]) -> String {
    let pairs: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    if pairs.is_empty() {
        return USERS.to_owned();
    }
    format!("{USERS}?{}", serde_html_form::to_string(pairs).unwrap_or_default())
}

/// A justification box (CON-3, CON-5): a textarea with its label and error, like a TextField.
#[component]
pub fn JustificationField(state: FormState, #[prop(optional)] required: bool, hint: &'static str) -> impl IntoView {
    let error = move || state.error_for("justification");
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for="justification">
                "Justification"
                {required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}
            </label>
            <p class="field-hint" id="justification-hint">{hint}</p>
            <textarea id="justification" name="justification" rows="3" maxlength="1000" required=required
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=move || if error().is_some() { "justification-hint justification-error" } else { "justification-hint" }
            >{state.value("justification")}</textarea>
            {move || error().map(|m| view! { <p class="field-error" id="justification-error">{m}</p> })}
        </div>
    }
    .into_any()
}

/// CON-3: search all users by a prefix of their username, name or e-mail, and status.
#[component]
pub fn ConsoleUsersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let search = move || (get("q"), get("status"), get("cursor"));
    let list = Resource::new(search, |(q, status, cursor)| console_users(q, status, cursor));
    view! {
        <Title text="Users" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, USERS),
                    Ok(page) => {
                        let (q, status, cursor) = search();
                        let form = FormState::new();
                        let filters: Vec<(String, String)> =
                            STATUS_FILTERS.iter().map(|(v, t)| ((*v).to_owned(), (*t).to_owned())).collect();
                        let next = page.next_cursor.map(|c| list_href(&[("q", q.clone()), ("status", status.clone()), ("cursor", c)]));
                        let first = (!cursor.is_empty()).then(|| list_href(&[("q", q.clone()), ("status", status.clone())]));
                        let empty = page.rows.is_empty();
                        view! {
                            <section class="panel wide">
                                <h1>"Users"</h1>
                                <ConsoleNav current=USERS />
                                <p><a class="button" href=NEW_USER>"Create user"</a></p>
                                <form class="search" method="get" action=USERS role="search">
                                    <TextField state=form label="Search" name="q" input_type="search" value=q.clone()
                                        hint="The start of a username, first or last name, or e-mail address" />
                                    <SelectField state=form label="Status" name="status" options=filters selected=status.clone() />
                                    <div class="form-actions"><button type="submit" class="button">"Search"</button></div>
                                </form>
                                {if empty {
                                    view! { <p class="notice" role="status">"No users match."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                            <table class="data">
                                                <caption class="visually-hidden">"Users"</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Name"</th>
                                                        <th scope="col">"Username"</th>
                                                        <th scope="col">"E-mail"</th>
                                                        <th scope="col">"Type"</th>
                                                        <th scope="col">"Company"</th>
                                                        <th scope="col">"Status"</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {page.rows.into_iter().map(|r| view! {
                                                        <tr>
                                                            <th scope="row"><a href=user_href(&r.id)>{r.name}</a></th>
                                                            <td>{r.username}</td>
                                                            <td>{r.email}</td>
                                                            <td>{r.user_type}</td>
                                                            <td>{r.company}</td>
                                                            <td>{r.status}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                <nav class="pager" aria-label="Pages">
                                    {first.map(|href| view! { <a href=href>"First page"</a> })}
                                    {next.map(|href| view! { <a href=href>"Next page"</a> })}
                                </nav>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// CON-3: create a bare user (name, e-mail, username).
#[component]
pub fn NewConsoleUserPage() -> impl IntoView {
    let allowed = Resource::new(|| (), |_| may_create_users());
    view! {
        <Title text="Create user" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match allowed.await {
                    Err(e) => refusal(e, NEW_USER),
                    Ok(_) => view! { <NewUserForm /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let v = |name: &str| state.value(name);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: BareUserForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(checked, move || create_bare_user(form), move |next: String| navigate(&next, Default::default()));
    };
    view! {
        <section class="panel">
            <p class="breadcrumb"><a href=USERS>"Users"</a></p>
            <h1>"Create user"</h1>
            <ConsoleNav current=USERS />
            <p>"A login with a name, an e-mail address and a username, and nothing else yet: no password, user type or company. When the user first signs in they complete their registration."</p>
            <form method="post" action=NEW_USER on:submit=on_submit novalidate>
                <FormAlert state />
                <TextField state label="First name" name="first_name" required=true value=v("first_name") />
                <TextField state label="Last name" name="last_name" required=true value=v("last_name") />
                <TextField state label="Email" name="email" input_type="email" required=true value=v("email") />
                <TextField state label="Username" name="username" required=true value=v("username")
                    hint="3 to 100 characters: letters, digits and . _ - @" />
                <FormActions state label="Create user" progress="Creating…">
                    <a href=USERS>"Cancel"</a>
                </FormActions>
            </form>
        </section>
    }
    .into_any()
}

/// The user's facts as a definition list.
fn facts(d: &UserDetail) -> impl IntoView {
    let emails = d
        .emails
        .iter()
        .map(|(address, primary)| if *primary { format!("{address} (primary)") } else { address.clone() })
        .collect::<Vec<_>>()
        .join(", ");
    let or_none = |s: &str| if s.is_empty() { "—".to_owned() } else { s.to_owned() };
    let status = status_label(&d.status).to_owned();
    let person = if d.person_active { "Active" } else { "Inactive" };
    view! {
        <dl class="details">
            <dt>"Name"</dt><dd>{d.name.clone()}</dd>
            <dt>"Username"</dt><dd>{d.username.clone()}</dd>
            <dt>"E-mail"</dt><dd>{or_none(&emails)}</dd>
            <dt>"User type"</dt><dd>{d.user_type.clone()}</dd>
            <dt>"Company"</dt><dd>{or_none(&d.organization)}</dd>
            <dt>"Status"</dt><dd>{status}</dd>
            <dt>"Person"</dt><dd>{person}</dd>
            <dt>"Start date"</dt><dd>{or_none(&d.start)}</dd>
            <dt>"End date"</dt><dd>{or_none(&d.end)}</dd>
            <dt>"Last sign-in"</dt><dd>{if d.last_sign_in.is_empty() { "Never".to_owned() } else { d.last_sign_in.clone() }}</dd>
            <dt>"Password"</dt><dd>{d.password.clone()}</dd>
            {d.scheduled_disable.clone().map(|s| view! {
                <dt>"Scheduled disable"</dt>
                <dd>{format!("On {} by {}: {}", s.on, or_none(&s.requested_by), s.justification)}</dd>
            })}
        </dl>
    }
}

/// CON-3: the user, their roles, and the actions their status allows.
#[component]
pub fn ConsoleUserPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let version = RwSignal::new(0_u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| console_user(id));
    view! {
        <Title text="User" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => refusal(e, &user_href(&id())),
                    Ok(d) => {
                        let base = user_href(&d.id);
                        view! {
                            <section class="panel wide">
                                <p class="breadcrumb"><a href=USERS>"Users"</a></p>
                                <h1>{d.name.clone()}</h1>
                                <ConsoleNav current=USERS />
                                {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                                {facts(&d)}
                                {d.is_self.then(|| view! {
                                    <p class="notice" role="status">"This is your own login: change your password from your profile."</p>
                                })}
                                <div class="actions">
                                    {d.can_disable.then(|| view! { <a class="button button-secondary" href=format!("{base}/disable")>"Disable"</a> })}
                                    {d.can_reset.then(|| view! { <a class="button button-secondary" href=format!("{base}/password")>"Reset password"</a> })}
                                    {d.can_delete.then(|| view! { <a class="button button-secondary" href=format!("{base}/delete")>"Delete"</a> })}
                                </div>
                                {d.can_enable.then(|| view! { <EnableForm detail=d.clone() version /> })}
                                <Roles detail=d.clone() />
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// CON-3 Enable: also drops a scheduled Disable. The justification is optional.
#[component]
fn EnableForm(detail: UserDetail, version: RwSignal<u32>) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = detail.id.clone();
    let action = format!("{}/enable", user_href(&id));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: JustificationForm = read_form(&ev);
        let checked = form.optional().map(|_| ());
        let (navigate, id) = (navigate.clone(), id.clone());
        state.submit(
            checked,
            move || enable_user(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    let (heading, text) = if detail.status == "inactive" {
        ("Enable", "The user can sign in again (within their start and end dates).")
    } else {
        ("Cancel the scheduled disable", "The user stays active after the scheduled date.")
    };
    view! {
        <h2>{heading}</h2>
        <p>{text}</p>
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <JustificationField state hint="Optional: why the user is enabled." />
            <FormActions state label="Enable" progress="Saving…" />
        </form>
    }
    .into_any()
}

/// The user's role grants with their dates and justification, and the way to grant one.
#[component]
fn Roles(detail: UserDetail) -> impl IntoView {
    let base = user_href(&detail.id);
    let empty = detail.roles.is_empty();
    view! {
        <h2>"Roles"</h2>
        {if empty {
            view! { <p>"No roles."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data">
                        <caption class="visually-hidden">"Roles of the user"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Start date"</th>
                                <th scope="col">"End date"</th>
                                <th scope="col">"In force now"</th>
                                <th scope="col">"Justification"</th>
                                <th scope="col">"Granted by"</th>
                                <th scope="col">"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {detail.roles.into_iter().map(|r| {
                                let href = format!("{base}/roles/{}/remove", r.role_id);
                                let label = format!("Remove {}", r.name);
                                view! {
                                    <tr>
                                        <th scope="row">{r.name}</th>
                                        <td class="nowrap">{r.start}</td>
                                        <td class="nowrap">{r.end}</td>
                                        <td>{if r.in_force { "Yes" } else { "No" }}</td>
                                        <td>{r.justification}</td>
                                        <td>{r.granted_by}</td>
                                        <td class="actions"><a class="button button-secondary" href=href aria-label=label>"Remove"</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {detail.can_grant.then(|| view! { <p><a class="button" href=format!("{base}/roles/grant")>"Grant a role"</a></p> })}
    }
    .into_any()
}
