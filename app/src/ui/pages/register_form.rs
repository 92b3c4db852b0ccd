//! `/register/{type_key}`: the registration forms (REG-5, REG-7), progressively enhanced
//! (REG-15): a plain HTML post without JavaScript, a server function call with it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::not_found::NotFound;
use crate::api::register::form_info::register_form_info;
use crate::api::register::submit::submit_registration;
use crate::api::types::RegistrationFormInfo;
use crate::api::AppError;
use crate::domain::{with_ref, NoCommonList, OrganizationKind, RegistrationFlow, RegistrationForm};
use crate::ui::components::{
    posted_address, read_form, AddressFields, Checkbox, FormActions, FormAlert, FormState, TextField,
};
use crate::ui::session::SessionContext;

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

#[component]
fn RegistrationForm(info: RegistrationFormInfo, ref_: Option<String>) -> impl IntoView {
    let state = FormState::new();
    let session = expect_context::<SessionContext>();
    let navigate = use_navigate();
    let rules = info.rules;
    let (is_business, is_company) = (rules.flow.joins_organization(), rules.flow.creates_organization());
    let online_access = match rules.flow {
        RegistrationFlow::OnlineAccess { business } => Some(business),
        _ => None,
    };
    let registry_hint = match rules.flow {
        RegistrationFlow::JoinOrganization(OrganizationKind::Partner) => {
            "Your partner company's Registry ID, like R-7K4Q2M"
        }
        _ => "Your company's Registry ID, like R-7K4Q2M",
    };
    let phone_required = is_business && rules.mandate_business_phone;
    let company_phone_required = is_company && rules.mandate_business_phone;
    let action = with_ref(&format!("/register/{}", info.key), ref_.as_deref());
    let key = info.key.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // The browser's copy of the server's checks, run before the round trip (REG-14). The
        // server repeats them and adds what only it can check (common passwords, taken usernames).
        let form: RegistrationForm = read_form(&ev);
        let checked = form.validate(&rules, &NoCommonList).map(|_| ());
        let (key, ref_, navigate) = (key.clone(), ref_.clone(), navigate.clone());
        state.submit(
            checked,
            move || submit_registration(key, form, ref_),
            move |next: String| {
                session.changed();
                navigate(&next, Default::default());
            },
        );
    };
    let password_hint = if rules.policy.hard_to_guess {
        format!("At least {} characters. Avoid your name, your username and common passwords.", rules.policy.min_length)
    } else {
        format!("At least {} characters.", rules.policy.min_length)
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
                        hint=registry_hint value=state.value("registry_id") />
                })}
                {match online_access {
                    Some(business) => view! { <OnlineAccessFields state business password_hint /> }.into_any(),
                    None => view! {
                        {is_company.then(|| view! { <CompanyFields state phone_required=company_phone_required /> })}
                        <PersonFields state grouped=is_company phone_label phone_required password_hint />
                    }.into_any(),
                }}
                <Checkbox label="Please send me e-mail about special offers and products" name="marketing_opt_in" checked=state.checked("marketing_opt_in") />
                <FormActions state label="Register" progress="Submitting your registration…" />
            </form>
        </section>
    }
    // Type-erased: the whole form's view type is deep enough to exceed the compiler's
    // recursion limit in the crates that link the app.
    .into_any()
}

/// REG-6: the company, its address (billing and shipping) and its phone (REG-10).
#[component]
pub(crate) fn CompanyFields(state: FormState, phone_required: bool) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"Your company"</legend>
            <TextField state label="Company name" name="company_name" required=true autocomplete="organization" value=state.value("company_name") />
            <AddressFields state values=posted_address(&state) />
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
        <DetailsFields state phone_label phone_required />
        <CredentialFields state password_hint confirm=true />
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

/// Who the person is: names, e-mail and phone (REG-5; PAR-2's confirmation asks only these).
#[component]
pub(crate) fn DetailsFields(state: FormState, phone_label: &'static str, phone_required: bool) -> impl IntoView {
    view! {
        <TextField state label="First name" name="first_name" required=true autocomplete="given-name" value=state.value("first_name") />
        <TextField state label="Last name" name="last_name" required=true autocomplete="family-name" value=state.value("last_name") />
        <TextField state label="Email" name="email" input_type="email" required=true autocomplete="email" value=state.value("email") />
        <TextField state label=phone_label name="phone" input_type="tel" required=phone_required autocomplete="tel" value=state.value("phone") />
    }
}

/// The new login: username, password and (except on OAA-2's form) its confirmation.
#[component]
fn CredentialFields(state: FormState, password_hint: String, confirm: bool) -> impl IntoView {
    view! {
        <TextField state label="Username" name="username" required=true autocomplete="username"
            hint="3 to 100 letters, digits and . _ - @" value=state.value("username") />
        <TextField state label="Password" name="password" input_type="password" required=true autocomplete="new-password" hint=password_hint />
        {confirm.then(|| view! {
            <TextField state label="Confirm password" name="password_confirm" input_type="password" required=true autocomplete="new-password" />
        })}
    }
}

/// OAA-1 (account number, billing postal code, phone) or OAA-2 (account number, order number
/// and date), then the e-mail and the new login.
#[component]
fn OnlineAccessFields(state: FormState, business: bool, password_hint: String) -> impl IntoView {
    let proof = if business {
        view! {
            <TextField state label="Order number" name="order_number" required=true
                hint="From an order confirmation or invoice, like O-600001" value=state.value("order_number") />
            <TextField state label="Order date" name="order_date" input_type="date" required=true
                hint="The day the order was placed; a day either side is fine" value=state.value("order_date") />
        }
        .into_any()
    } else {
        view! {
            <TextField state label="Billing postal code" name="postal_code" required=true autocomplete="postal-code"
                hint="As on an order billed to you" value=state.value("postal_code") />
            <TextField state label="Phone" name="phone" input_type="tel" required=true autocomplete="tel"
                hint="A phone number we have for you" value=state.value("phone") />
        }
        .into_any()
    };
    view! {
        <fieldset class="group">
            <legend>"Your existing account"</legend>
            <TextField state label="Account number" name="account_number" required=true
                hint="From an invoice or statement, like A-100001" value=state.value("account_number") />
            {proof}
        </fieldset>
        <fieldset class="group">
            <legend>"Your online login"</legend>
            <TextField state label="Email" name="email" input_type="email" required=true autocomplete="email" value=state.value("email") />
            <CredentialFields state password_hint confirm=!business />
        </fieldset>
    }
}
