//! CON-3, a user's action pages, each a plain form posting to its own URL (and through its
//! server function with JavaScript): Disable, Delete (the confirmation page), Reset password
//! (a generated password shown once), grant a role, remove a role (the confirmation page).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::users::JustificationField;
use crate::api::console::users::{
    console_user, delete_user, disable_user, grant_user_role, remove_user_role, reset_user_password, user_href,
    UserDetail, USERS,
};
use crate::api::types::{SecretAnswer, ShownSecret};
use crate::domain::console_user::{DisableForm, JustificationForm, ResetPasswordForm, RoleGrantForm};
use crate::domain::{NoCommonList, PasswordContext};
use crate::ui::components::{
    browser_password_policy, read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState, SelectField, TextField,
};

/// A page about one user: loads them (refusing anyone but a merchant admin), then `body`.
fn user_page(title: &'static str, suffix: fn(&str) -> String, body: fn(UserDetail) -> AnyView) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = Resource::new(id, console_user);
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => refusal(e, &suffix(&id())),
                    Ok(d) => view! {
                        <section class="panel">
                            <p class="breadcrumb"><a href=USERS>"Users"</a>" › "<a href=user_href(&d.id)>{d.name.clone()}</a></p>
                            <h1>{title}</h1>
                            <ConsoleNav current=USERS />
                            {body(d)}
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Navigates to the server's answer (a user page with its notice).
fn go() -> impl Fn(String) + Clone + 'static {
    let navigate = use_navigate();
    move |next: String| navigate(&next, Default::default())
}

#[component]
pub fn DisableUserPage() -> impl IntoView {
    user_page(
        "Disable user",
        |id| format!("{}/disable", user_href(id)),
        |d| view! { <DisableUserForm detail=d /> }.into_any(),
    )
}

#[component]
fn DisableUserForm(detail: UserDetail) -> impl IntoView {
    let state = FormState::new();
    let go = go();
    let id = detail.id.clone();
    let back = user_href(&detail.id);
    let action = format!("{back}/disable");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: DisableForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, go) = (id.clone(), go.clone());
        state.submit(checked, move || disable_user(id, form), go);
    };
    let date = if state.is_resubmission() { state.value("effective_date") } else { detail.today.clone() };
    view! {
        <p>{format!("{} ({}) can no longer sign in from the effective date; their open sessions end then.", detail.name, detail.username)}</p>
        {detail.scheduled_disable.map(|s| view! {
            <p class="notice" role="status">{format!("A disable is already scheduled for {}. Saving replaces it.", s.on)}</p>
        })}
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Effective date" name="effective_date" input_type="date" value=date
                hint="Today or earlier: at once. A later date: the user is disabled at the start of that day (UTC)." />
            <JustificationField state required=true hint="Why the user is disabled. It is kept in the audit log." />
            <FormActions state label="Disable" progress="Saving…">
                <a href=back.clone()>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
pub fn DeleteUserPage() -> impl IntoView {
    user_page(
        "Delete user",
        |id| format!("{}/delete", user_href(id)),
        |d| view! { <DeleteUserForm detail=d /> }.into_any(),
    )
}

#[component]
fn DeleteUserForm(detail: UserDetail) -> impl IntoView {
    let state = FormState::new();
    let go = go();
    let id = detail.id.clone();
    let back = user_href(&detail.id);
    let action = format!("{back}/delete");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: JustificationForm = read_form(&ev);
        let checked = form.required().map(|_| ());
        let (id, go) = (id.clone(), go.clone());
        state.submit(checked, move || delete_user(id, form), go);
    };
    view! {
        <p class="warning">{format!(
            "Delete {} ({})? They can no longer sign in and their sessions end. The username {} is released: anyone can register it again. Their person, e-mail addresses, company relationship and history are kept.",
            detail.name, detail.username, detail.username
        )}</p>
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <JustificationField state required=true hint="Why the user is deleted. It is kept in the audit log." />
            <FormActions state label="Delete user" progress="Deleting…">
                <a href=back.clone()>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
pub fn ResetUserPasswordPage() -> impl IntoView {
    user_page(
        "Reset password",
        |id| format!("{}/password", user_href(id)),
        |d| view! { <ResetPasswordForm detail=d /> }.into_any(),
    )
}

#[component]
fn ResetPasswordForm(detail: UserDetail) -> impl IntoView {
    let state = FormState::new();
    let go = go();
    // A plain post's answer page carries the generated password (server/forms.rs); with
    // JavaScript the server function's answer does.
    let shown = RwSignal::new(use_context::<ShownSecret>().map(|s| s.0));
    let id = detail.id.clone();
    let username = detail.username.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: ResetPasswordForm = read_form(&ev);
        let ctx = PasswordContext { username: &username, first_name: "", last_name: "" };
        let checked = form.validate(&browser_password_policy(), &ctx, &NoCommonList).map(|_| ());
        let (id, go) = (id.clone(), go.clone());
        state.submit(
            checked,
            move || reset_user_password(id, form),
            move |answer: SecretAnswer| match answer.secret {
                Some(secret) => shown.set(Some(secret)),
                None => go(answer.next),
            },
        );
    };
    let user_page = user_href(&detail.id);
    let action = format!("{user_page}/password");
    let method = match state.value("password_method").as_str() {
        "typed" => "typed",
        _ => "generated",
    };
    let username = detail.username.clone();
    let intro = format!(
        "A new password for {} ({}). Either way they must change it when they next sign in, and their open sessions end now.",
        detail.name, detail.username
    );
    move || {
        match shown.get() {
        Some(secret) => view! {
            <p class="notice" role="status">"The password was reset. It is shown only this once and never e-mailed: give it to the user yourself. They must change it when they next sign in."</p>
            <dl class="details">
                <dt>"Username"</dt><dd>{username.clone()}</dd>
                <dt>"New password"</dt><dd><code class="generated-password">{secret}</code></dd>
            </dl>
            <p><a href=user_page.clone()>"Back to the user"</a></p>
        }
        .into_any(),
        None => {
            let (cancel, on_submit) = (user_page.clone(), on_submit.clone());
            view! {
            <p>{intro.clone()}</p>
            <form method="post" action=action.clone() on:submit=on_submit novalidate>
                <FormAlert state />
                <fieldset class="radios" class:field-invalid=move || state.error_for("password_method").is_some()>
                    <legend>"New password"</legend>
                    <div class="field field-checkbox">
                        <input type="radio" id="password_method-generated" name="password_method" value="generated" checked=method == "generated" />
                        <label for="password_method-generated">"Generate a password"</label>
                    </div>
                    <div class="field field-checkbox">
                        <input type="radio" id="password_method-typed" name="password_method" value="typed" checked=method == "typed" />
                        <label for="password_method-typed">"Type a password"</label>
                    </div>
                    {move || state.error_for("password_method").map(|m| view! { <p class="field-error" id="password_method-error">{m}</p> })}
                </fieldset>
                <div class="typed-password">
                    <TextField state label="Password" name="password" input_type="password" autocomplete="new-password"
                        hint="Only for Type a password. At least 12 characters; not the user's name or username." />
                    <TextField state label="Confirm password" name="password_confirm" input_type="password" autocomplete="new-password" />
                </div>
                <FormActions state label="Reset password" progress="Saving…">
                    <a href=cancel>"Cancel"</a>
                </FormActions>
            </form>
            }
            .into_any()
        }
    }
    }
}

#[component]
pub fn GrantUserRolePage() -> impl IntoView {
    user_page(
        "Grant a role",
        |id| format!("{}/roles/grant", user_href(id)),
        |d| view! { <GrantRoleForm detail=d /> }.into_any(),
    )
}

#[component]
fn GrantRoleForm(detail: UserDetail) -> impl IntoView {
    let state = FormState::new();
    let go = go();
    let id = detail.id.clone();
    let back = user_href(&detail.id);
    let action = format!("{back}/roles/grant");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: RoleGrantForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, go) = (id.clone(), go.clone());
        state.submit(checked, move || grant_user_role(id, form), go);
    };
    let mut roles = vec![(String::new(), "Choose a role".to_owned())];
    roles.extend(detail.grantable.iter().cloned());
    view! {
        <p>{format!("A role for {} ({}). Outside its dates a grant has no effect.", detail.name, detail.username)}</p>
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <SelectField state label="Role" name="role_id" options=roles required=true selected=state.value("role_id") />
            <TextField state label="Start date" name="start_date" input_type="date" value=state.value("start_date")
                hint="Optional: the grant counts from the start of this day (UTC)." />
            <TextField state label="End date" name="end_date" input_type="date" value=state.value("end_date")
                hint="Optional: the grant ends after this day." />
            <JustificationField state required=true hint="Why the role is granted. It is kept with the grant and in the audit log." />
            <FormActions state label="Grant role" progress="Saving…">
                <a href=back.clone()>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
pub fn RemoveUserRolePage() -> impl IntoView {
    let params = use_params_map();
    let role_id = move || params.read().get("role_id").unwrap_or_default();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = Resource::new(id, console_user);
    view! {
        <Title text="Remove a role" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{}/roles/{}/remove", user_href(&id()), role_id());
                match detail.await {
                    Err(e) => refusal(e, &here),
                    Ok(d) => match d.roles.iter().find(|r| r.role_id == role_id()).cloned() {
                        None => refusal(crate::api::AppError::NotFound, &here),
                        Some(role) => view! {
                            <section class="panel">
                                <p class="breadcrumb"><a href=USERS>"Users"</a>" › "<a href=user_href(&d.id)>{d.name.clone()}</a></p>
                                <h1>"Remove a role"</h1>
                                <ConsoleNav current=USERS />
                                <RemoveRoleForm detail=d.clone() role_id=role.role_id role_name=role.name action=here />
                            </section>
                        }
                        .into_any(),
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
fn RemoveRoleForm(detail: UserDetail, role_id: String, role_name: String, action: String) -> impl IntoView {
    let state = FormState::new();
    let go = go();
    let id = detail.id.clone();
    let back = user_href(&detail.id);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: JustificationForm = read_form(&ev);
        let checked = form.optional().map(|_| ());
        let (id, role_id, go) = (id.clone(), role_id.clone(), go.clone());
        state.submit(checked, move || remove_user_role(id, role_id, form), go);
    };
    view! {
        <p>{format!("Remove the role {role_name} from {} ({})? It stops counting from their next request.", detail.name, detail.username)}</p>
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <JustificationField state hint="Optional: why the role is removed." />
            <FormActions state label="Remove role" progress="Saving…">
                <a href=back.clone()>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}
