//! `/admin/contacts` (ADM-1), `/admin/contacts/new` (ADM-2) and a contact's Details tab
//! `/admin/contacts/{id}` (ADM-3): plain forms that work without JavaScript, submitted through
//! their server functions with it. The server decides what is offered (ADM-8) and refuses the
//! rest (SEC-5).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::admin::contacts::{
    contact_form_options, contact_info, contact_list, create_contact, notice_text, register_contact_user, save_contact,
    send_contact_invitation, ContactChoices, ContactPageInfo, NEW_CONTACT, STATUS_FILTERS,
};
use crate::api::admin::{ContactTab, CONTACTS};
use crate::domain::admin_contact::{ContactDetailsForm, ContactForm, LoginForm, LoginRules};
use crate::domain::NoCommonList;
use crate::ui::components::{
    browser_password_policy, read_form, refusal, Checkbox, ContactTabs, FormActions, FormAlert, FormState, SelectField,
    TextField,
};

fn query_href(q: &str, status: &str, page: i64) -> String {
    let pairs = [("q", q.to_owned()), ("status", status.to_owned()), ("page", page.to_string())];
    format!("{CONTACTS}?{}", serde_html_form::to_string(pairs).unwrap_or_default())
}

/// ADM-1: search, filter, a page of 25, Previous/Next.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let list = Resource::new(move || (q(), status(), page()), |(q, status, page)| contact_list(q, status, page));
    let options = Resource::new(|| (), |_| contact_form_options());
    view! {
        <Title text="Contacts" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (list, options) = (list.await, options.await);
                match list {
                    Err(e) => refusal(e, CONTACTS),
                    Ok(list) => {
                        let (q, status) = (q(), status());
                        let prev = (list.page > 1).then(|| query_href(&q, &status, list.page - 1));
                        let next = list.has_next.then(|| query_href(&q, &status, list.page + 1));
                        let empty = list.rows.is_empty();
                        let search = FormState::new();
                        let filters: Vec<(String, String)> =
                            STATUS_FILTERS.iter().map(|(v, t)| ((*v).to_owned(), (*t).to_owned())).collect();
                        let can_create = options.is_ok();
                        view! {
                            <section class="panel wide">
                                <h1>"Contacts"</h1>
                                <p>"The people of your company. Open one to change their details and access."</p>
                                {can_create.then(|| view! { <p><a class="button" href=NEW_CONTACT>"Create contact"</a></p> })}
                                <form class="search" method="get" action=CONTACTS role="search">
                                    <TextField state=search label="Search" name="q" input_type="search" value=q.clone()
                                        hint="The start of a name, username or e-mail address" />
                                    <SelectField state=search label="Status" name="status" options=filters selected=status.clone() />
                                    <div class="form-actions"><button type="submit" class="button">"Search"</button></div>
                                </form>
                                {if empty {
                                    view! { <p class="notice" role="status">"No contacts match."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                            <table class="data">
                                                <caption class="visually-hidden">{format!("Contacts, page {}", list.page)}</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Name"</th>
                                                        <th scope="col">"Username"</th>
                                                        <th scope="col">"E-mail"</th>
                                                        <th scope="col">"Phone"</th>
                                                        <th scope="col">"Status"</th>
                                                        <th scope="col">"User type"</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {list.rows.into_iter().map(|r| {
                                                        let href = format!("{CONTACTS}/{}", r.contact_id);
                                                        view! {
                                                            <tr>
                                                                <th scope="row"><a href=href>{r.name}</a></th>
                                                                <td>{r.username}</td>
                                                                <td>{r.email}</td>
                                                                <td>{r.phone}</td>
                                                                <td>{r.status}</td>
                                                                <td>{r.user_type}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                <nav class="pager" aria-label="Pages">
                                    {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
                                    <span>{format!("Page {}", list.page)}</span>
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

/// A group of radio buttons with a legend and its error (REG-14).
#[component]
fn Radios(
    state: FormState,
    legend: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] selected: String,
) -> impl IntoView {
    let error = move || state.error_for(name);
    let error_id = format!("{name}-error");
    view! {
        <fieldset class="radios" class:field-invalid=move || error().is_some()
            aria-describedby=move || error().map(|_| format!("{name}-error"))>
            <legend>{legend}</legend>
            {options.into_iter().map(|(value, label)| {
                let id = format!("{name}-{value}");
                view! {
                    <div class="field field-checkbox">
                        <input type="radio" id=id.clone() name=name value=value checked=selected == value />
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
            {move || error().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </fieldset>
    }
}

/// The login part of ADM-2 (and of ADM-3's conversion): user type, username, password method,
/// primary account, dates. `values` are what to show (posted or defaults).
#[component]
fn LoginFields(state: FormState, choices: ContactChoices, values: LoginForm) -> impl IntoView {
    let mut types = vec![(String::new(), "Choose a user type".to_owned())];
    types.extend(choices.user_types.iter().cloned());
    let only_account = (choices.accounts.len() == 1).then(|| choices.accounts[0].0.clone());
    let mut accounts = vec![(String::new(), "Your company's primary account".to_owned())];
    accounts.extend(choices.accounts.iter().map(|(id, number, primary)| {
        (id.clone(), if *primary { format!("{number} (company primary)") } else { number.clone() })
    }));
    let account =
        if values.account_id.is_empty() { only_account.unwrap_or_default() } else { values.account_id.clone() };
    let method = if values.password_method.is_empty() { "invite".to_owned() } else { values.password_method.clone() };
    let start = if values.start_date.is_empty() { choices.today.clone() } else { values.start_date.clone() };
    view! {
        <SelectField state label="User type" name="user_type" options=types required=true selected=values.user_type />
        <TextField state label="Username" name="username" required=true autocomplete="off" value=values.username
            hint="4 to 64 characters: letters, digits and . _ - @" />
        <Radios state legend="How does the user get a password?" name="password_method"
            options=vec![("invite", "Send an invitation link"), ("temporary", "Set a temporary password")] selected=method />
        <div class="temporary-password">
            <TextField state label="Temporary password" name="temporary_password" input_type="password" autocomplete="new-password"
                hint="Give it to the user yourself: it is never e-mailed, and they must change it when they first sign in." />
        </div>
        <SelectField state label="Primary account" name="account_id" options=accounts selected=account />
        <TextField state label="Start date" name="start_date" input_type="date" value=start />
        <TextField state label="End date" name="end_date" input_type="date" value=values.end_date hint="Optional: access ends after this day." />
    }
    .into_any()
}

fn status_options() -> Vec<(String, String)> {
    vec![("active".into(), "Active".into()), ("inactive".into(), "Inactive".into())]
}

/// ADM-2: Create contact.
#[component]
pub fn NewContactPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| contact_form_options());
    view! {
        <Title text="Create contact" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Err(e) => refusal(e, NEW_CONTACT),
                    Ok(choices) => view! { <NewContactForm choices /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewContactForm(choices: ContactChoices) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let v = |name: &str| state.value(name);
    let values = LoginForm {
        user_type: v("user_type"),
        username: v("username"),
        password_method: v("password_method"),
        temporary_password: String::new(),
        account_id: v("account_id"),
        start_date: v("start_date"),
        end_date: v("end_date"),
    };
    let register = if v("register_as_user") == "yes" { "yes" } else { "no" };
    let may_create_users = choices.may_create_users;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: ContactForm = read_form(&ev);
        let checked = form.validate(&browser_password_policy(), &NoCommonList).map(|_| ());
        let navigate = navigate.clone();
        state.submit(checked, move || create_contact(form), move |next: String| navigate(&next, Default::default()));
    };
    view! {
        <section class="panel">
            <p class="breadcrumb"><a href=CONTACTS>"Contacts"</a></p>
            <h1>"Create contact"</h1>
            <form method="post" action=NEW_CONTACT on:submit=on_submit novalidate class="contact-form">
                <FormAlert state />
                <TextField state label="First name" name="first_name" required=true autocomplete="off" value=v("first_name") />
                <TextField state label="Last name" name="last_name" required=true autocomplete="off" value=v("last_name") />
                <TextField state label="Email" name="email" input_type="email" required=true autocomplete="off" value=v("email") />
                <TextField state label="Phone" name="phone" input_type="tel" required=choices.phone_required autocomplete="off" value=v("phone") />
                <TextField state label="Job title" name="job_title" autocomplete="off" value=v("job_title") />
                <SelectField state label="Contact status" name="contact_status" options=status_options() selected=v("contact_status") />
                {may_create_users.then(|| view! {
                    <Radios state legend="Do you want to register this contact as a user?" name="register_as_user"
                        options=vec![("yes", "Yes"), ("no", "No")] selected=register />
                    <div class="login-fields">
                        <LoginFields state choices=choices.clone() values />
                    </div>
                })}
                <FormActions state label="Save" progress="Saving…">
                    <a href=CONTACTS>"Cancel"</a>
                </FormActions>
            </form>
        </section>
    }
    .into_any()
}

/// ADM-3: the Details tab, and converting a contact into a user.
#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let version = RwSignal::new(0_u32);
    let info = Resource::new(move || (id(), version.get()), |(id, _)| contact_info(id));
    view! {
        <Title text="Contact" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &format!("{CONTACTS}/{}", id())),
                    Ok(info) => view! {
                        <section class="panel">
                            <ContactTabs heading=info.heading.clone() current=ContactTab::Details />
                            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                            <ContactDetails info=info.clone() version />
                            <ContactLogin info version />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContactDetails(info: ContactPageInfo, version: RwSignal<u32>) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = info.heading.contact_id.clone();
    let action = format!("{CONTACTS}/{id}");
    let f = if state.is_resubmission() {
        ContactDetailsForm {
            first_name: state.value("first_name"),
            last_name: state.value("last_name"),
            email: state.value("email"),
            phone: state.value("phone"),
            job_title: state.value("job_title"),
            contact_status: state.value("contact_status"),
            marketing_opt_in: state.checked("marketing_opt_in"),
            user_status: state.value("user_status"),
            start_date: state.value("start_date"),
            end_date: state.value("end_date"),
            username: state.value("username"),
        }
    } else {
        info.form.clone()
    };
    let (has_login, username_editable) = (info.has_login, info.has_login && info.may_manage_users);
    let own = info.is_caller;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: ContactDetailsForm = read_form(&ev);
        let checked = form.validate(has_login, username_editable).map(|_| ());
        let (navigate, id) = (navigate.clone(), id.clone());
        state.submit(
            checked,
            move || save_contact(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <h2>"Details"</h2>
        {own.then(|| view! { <p class="notice" role="status">"This is you. Another administrator of your company changes your own status and access."</p> })}
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="First name" name="first_name" required=true autocomplete="off" value=f.first_name />
            <TextField state label="Last name" name="last_name" required=true autocomplete="off" value=f.last_name />
            <TextField state label="Email" name="email" input_type="email" required=true autocomplete="off" value=f.email />
            <TextField state label="Phone" name="phone" input_type="tel" required=info.options.phone_required autocomplete="off" value=f.phone />
            <TextField state label="Job title" name="job_title" autocomplete="off" value=f.job_title />
            <SelectField state label="Contact status" name="contact_status" options=status_options() selected=f.contact_status />
            <Checkbox label="Send this person marketing e-mails" name="marketing_opt_in" checked=f.marketing_opt_in />
            {has_login.then(|| view! {
                <fieldset>
                    <legend>"Login"</legend>
                    {username_editable.then(|| view! {
                        <TextField state label="Username" name="username" required=true autocomplete="off" value=f.username.clone() />
                    })}
                    {if info.pending {
                        view! {
                            <p class="notice" role="status">"This login is waiting for approval."</p>
                            <input type="hidden" name="user_status" value="active" />
                        }.into_any()
                    } else {
                        view! { <SelectField state label="Status" name="user_status" options=status_options() selected=f.user_status.clone() /> }.into_any()
                    }}
                    <TextField state label="Start date" name="start_date" input_type="date" value=f.start_date.clone() />
                    <TextField state label="End date" name="end_date" input_type="date" value=f.end_date.clone()
                        hint="Optional: access ends after this day. A date in the past ends it now." />
                </fieldset>
            })}
            <FormActions state label="Save" progress="Saving…" />
        </form>
    }
    .into_any()
}

/// ADM-3: "Register this contact as a user", or (ADM-8) a new set-password link.
#[component]
fn ContactLogin(info: ContactPageInfo, version: RwSignal<u32>) -> impl IntoView {
    if !info.may_manage_users || info.is_caller {
        return ().into_any();
    }
    let id = info.heading.contact_id.clone();
    if info.has_login {
        let state = FormState::new();
        let navigate = use_navigate();
        let action = format!("{CONTACTS}/{id}/invite");
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            let (navigate, id) = (navigate.clone(), id.clone());
            state.submit(
                Ok(()),
                move || send_contact_invitation(id),
                move |next: String| {
                    version.update(|v| *v += 1);
                    navigate(&next, Default::default());
                },
            );
        };
        return view! {
            <h2>"Password"</h2>
            <p>"Send this user a new link to set their password (valid for 7 days). Earlier links stop working."</p>
            <form method="post" action=action on:submit=on_submit>
                <FormAlert state />
                <FormActions state label="Send a set-password link" progress="Sending…" />
            </form>
        }
        .into_any();
    }
    let state = FormState::new();
    let navigate = use_navigate();
    let action = format!("{CONTACTS}/{id}/user");
    let values = LoginForm {
        user_type: state.value("user_type"),
        username: state.value("username"),
        password_method: state.value("password_method"),
        temporary_password: String::new(),
        account_id: state.value("account_id"),
        start_date: state.value("start_date"),
        end_date: state.value("end_date"),
    };
    let (first, last) = (info.form.first_name.clone(), info.form.last_name.clone());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: LoginForm = read_form(&ev);
        let policy = browser_password_policy();
        let rules = LoginRules { policy: &policy, common: &NoCommonList, first_name: &first, last_name: &last };
        let checked = form.validate(&rules).map(|_| ());
        let (navigate, id) = (navigate.clone(), id.clone());
        state.submit(
            checked,
            move || register_contact_user(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <h2>"Register this contact as a user"</h2>
        <form method="post" action=action on:submit=on_submit novalidate class="contact-form">
            <FormAlert state />
            <LoginFields state choices=info.options values />
            <FormActions state label="Register as a user" progress="Saving…" />
        </form>
    }
    .into_any()
}
