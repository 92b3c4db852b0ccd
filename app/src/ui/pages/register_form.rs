//! `/register/{type_key}`: the registration forms (REG-5, REG-7), progressively enhanced
//! (REG-15): a plain HTML post without JavaScript, a server function call with it.

use std::collections::HashMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::not_found::NotFound;
use super::register_list::urlencode;
use crate::api::register::form_info::register_form_info;
use crate::api::register::submit::submit_registration;
use crate::api::types::RegistrationFormInfo;
use crate::api::AppError;
use crate::app::SessionContext;
use crate::domain::{
    safe_ref, validate_company, FieldError, IndividualForm, NoCommonList, PasswordPolicy, RegistryId, COUNTRIES,
};
use crate::ui::components::{collect_fields, Checkbox, FormAlert, FormState, SelectField, TextField};

const FIELDS: &[&str] = &[
    "company_name",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "company_phone",
    "registry_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "username",
    "password",
    "password_confirm",
    "marketing_opt_in",
];

#[component]
pub fn RegisterFormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let info = Resource::new(move || params.read().get("type_key").unwrap_or_default(), register_form_info);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => {
                        let ref_ = query.read_untracked().get("ref");
                        view! { <RegistrationForm info ref_ /> }.into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The browser's copy of the server's checks, run before the round trip (REG-14). The server
/// repeats every check and adds the ones only it can do (common passwords, taken usernames).
fn check_in_browser(fields: &HashMap<String, String>, policy: &PasswordPolicy, info: &FormFlags) -> Vec<FieldError> {
    let get = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    if info.is_business {
        if let Err(e) = RegistryId::parse(&get("registry_id")) {
            errors.push(FieldError::new("registry_id", e.to_string()));
        }
    }
    if info.is_company {
        if let Err(mut more) = validate_company(|name| get(name), info.company_phone_required) {
            errors.append(&mut more);
        }
    }
    if info.phone_required && get("phone").trim().is_empty() {
        errors.push(FieldError::new("phone", "Enter a business phone number"));
    }
    let form = IndividualForm {
        first_name: get("first_name"),
        last_name: get("last_name"),
        email: get("email"),
        phone: get("phone"),
        username: get("username"),
        password: get("password"),
        password_confirm: get("password_confirm"),
        marketing_opt_in: fields.contains_key("marketing_opt_in"),
    };
    if let Err(mut more) = form.validate(policy, &NoCommonList) {
        errors.append(&mut more);
    }
    errors
}

#[derive(Clone, Copy)]
struct FormFlags {
    is_business: bool,
    is_company: bool,
    phone_required: bool,
    company_phone_required: bool,
}

#[component]
fn RegistrationForm(info: RegistrationFormInfo, ref_: Option<String>) -> impl IntoView {
    let state = FormState::new();
    let session = expect_context::<SessionContext>();
    let navigate = use_navigate();
    let is_business = matches!(info.kind.as_str(), "company_business" | "partner_business");
    let is_company = matches!(info.kind.as_str(), "company_admin" | "partner_admin");
    let flags = FormFlags {
        is_business,
        is_company,
        phone_required: is_business && info.mandate_business_phone,
        company_phone_required: is_company && info.mandate_business_phone,
    };
    let policy = PasswordPolicy { min_length: info.password_min_length, hard_to_guess: info.password_hard_to_guess };
    let action = match ref_.as_deref().map(safe_ref) {
        Some(r) if r != "/" => format!("/register/{}?ref={}", info.key, urlencode(&r)),
        _ => format!("/register/{}", info.key),
    };
    let key = info.key.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.pending.get_untracked() {
            return;
        }
        let fields = collect_fields(&ev, FIELDS);
        let errors = check_in_browser(&fields, &policy, &flags);
        if !errors.is_empty() {
            state.show_field_errors(errors);
            return;
        }
        state.pending.set(true);
        let (key, ref_, navigate) = (key.clone(), ref_.clone(), navigate.clone());
        spawn_local(async move {
            match submit_registration(key, fields, ref_).await {
                Ok(next) => {
                    session.changed();
                    navigate(&next, Default::default());
                }
                Err(e) => state.fail(e),
            }
            state.pending.set(false);
        });
    };
    let password_hint = if info.password_hard_to_guess {
        format!(
            "At least {} characters. Avoid your name, your username and common passwords.",
            info.password_min_length
        )
    } else {
        format!("At least {} characters.", info.password_min_length)
    };
    let phone_label = if is_business { "Business phone" } else { "Phone" };
    view! {
        <Title text=info.long_name.clone() />
        <section class="panel">
            <h1>{info.long_name.clone()}</h1>
            <p class="form-intro">"Fields marked with " <span aria-hidden="true">"*"</span> <span class="visually-hidden">"an asterisk"</span> " are required."</p>
            <form method="post" action=action on:submit=on_submit novalidate>
                <FormAlert state />
                {is_business.then(|| view! {
                    <TextField state label="Registry ID" name="registry_id" required=true
                        hint="Your company's Registry ID, like R-7K4Q2M" value=state.value("registry_id") />
                })}
                {is_company.then(|| view! { <CompanyFields state phone_required=flags.company_phone_required /> })}
                <PersonFields state grouped=is_company phone_label phone_required=flags.phone_required password_hint />
                <Checkbox label="Please send me e-mail about special offers and products" name="marketing_opt_in" checked=state.checked("marketing_opt_in") />
                <div class="form-actions">
                    <button type="submit" class="button" aria-disabled=move || state.pending.get().to_string()>"Register"</button>
                    <span class="progress" role="status">{move || state.pending.get().then_some("Submitting your registration…")}</span>
                </div>
            </form>
        </section>
    }
}

/// REG-6: the company, its address (billing and shipping) and its phone (REG-10).
#[component]
fn CompanyFields(state: FormState, phone_required: bool) -> impl IntoView {
    let countries: Vec<(String, String)> = std::iter::once((String::new(), "Choose a country".to_owned()))
        .chain(COUNTRIES.iter().map(|(code, name)| ((*code).to_owned(), (*name).to_owned())))
        .collect();
    view! {
        <fieldset class="group">
            <legend>"Your company"</legend>
            <TextField state label="Company name" name="company_name" required=true autocomplete="organization" value=state.value("company_name") />
            <TextField state label="Address line 1" name="address_line1" required=true autocomplete="address-line1" value=state.value("address_line1") />
            <TextField state label="Address line 2" name="address_line2" autocomplete="address-line2" value=state.value("address_line2") />
            <TextField state label="City" name="city" required=true autocomplete="address-level2" value=state.value("city") />
            <TextField state label="State/Province" name="region" autocomplete="address-level1" value=state.value("region") />
            <TextField state label="Postal code" name="postal_code" required=true autocomplete="postal-code" value=state.value("postal_code") />
            <SelectField state label="Country" name="country" required=true autocomplete="country" options=countries selected=state.value("country") />
            <TextField state label="Company phone" name="company_phone" input_type="tel" required=phone_required autocomplete="tel" value=state.value("company_phone") />
        </fieldset>
    }
}

/// The person part of every registration form (REG-5); grouped under "About you" when the form
/// also asks about a company.
#[component]
fn PersonFields(
    state: FormState,
    grouped: bool,
    phone_label: &'static str,
    phone_required: bool,
    password_hint: String,
) -> impl IntoView {
    let fields = view! {
                <TextField state label="First name" name="first_name" required=true autocomplete="given-name" value=state.value("first_name") />
                <TextField state label="Last name" name="last_name" required=true autocomplete="family-name" value=state.value("last_name") />
                <TextField state label="Email" name="email" input_type="email" required=true autocomplete="email" value=state.value("email") />
                <TextField state label=phone_label name="phone" input_type="tel" required=phone_required autocomplete="tel" value=state.value("phone") />
                <TextField state label="Username" name="username" required=true autocomplete="username"
                    hint="3 to 100 letters, digits and . _ - @" value=state.value("username") />
                <TextField state label="Password" name="password" input_type="password" required=true autocomplete="new-password" hint=password_hint.clone() />
                <TextField state label="Confirm password" name="password_confirm" input_type="password" required=true autocomplete="new-password" />
    };
    if grouped {
        view! {
            <fieldset class="group">
                <legend>"About you"</legend>
                {fields}
            </fieldset>
        }
        .into_any()
    } else {
        fields.into_any()
    }
}
