//! `/register/confirm` and `/register/confirm/{type_key}`: partial registration (PAR-1, PAR-2),
//! progressively enhanced like every form (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::register_form::{CompanyFields, DetailsFields};
use crate::api::register::confirm::{
    confirm_choices, confirm_form, confirm_registration, ConfirmationChoices, ConfirmationFormInfo,
};
use crate::domain::{with_ref, RegistrationForm};
use crate::ui::components::{read_form, refusal, Checkbox, FormActions, FormAlert, FormState, TextField};
use crate::ui::session::SessionContext;

const TITLE: &str = "Complete your registration";

#[component]
pub fn ConfirmListPage() -> impl IntoView {
    let query = use_query_map();
    let choices = Resource::new(|| (), |_| confirm_choices());
    let ref_ = move || query.read_untracked().get("ref");
    let next = move || with_ref("/register/confirm", ref_().as_deref());
    view! {
        <Title text=TITLE />
        <section class="panel">
            <h1>{TITLE}</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(ConfirmationChoices::Choose(types)) if types.is_empty() => view! {
                            <p class="notice" role="status">"No registration is open to you at the moment. Please contact us to complete it."</p>
                        }
                        .into_any(),
                        Ok(ConfirmationChoices::Choose(types)) => view! {
                            <p>"We need a few more details before you can use this page. Choose how you use our store:"</p>
                            <ul class="type-choices">
                                {types
                                    .into_iter()
                                    .map(|t| {
                                        let href = with_ref(&format!("/register/confirm/{}", t.key), ref_().as_deref());
                                        view! { <li><a href=href>{t.long_name}</a></li> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Ok(ConfirmationChoices::Awaiting) => view! {
                            <p class="notice" role="status">"Your registration is awaiting approval."</p>
                            <p>"We will e-mail you once it has been decided."</p>
                        }
                        .into_any(),
                        Ok(ConfirmationChoices::Complete) => view! {
                            <p class="notice" role="status">"Your registration is complete."</p>
                            <p><a href=crate::domain::safe_ref(&ref_().unwrap_or_else(|| "/".into()))>"Continue"</a></p>
                        }
                        .into_any(),
                        Err(e) => refusal(e, &next()),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ConfirmFormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let info = Resource::new(move || params.read().get("type_key").unwrap_or_default(), confirm_form);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ref_ = query.read_untracked().get("ref");
                match info.await {
                    Ok(info) => view! { <ConfirmForm info ref_ /> }.into_any(),
                    Err(e) => {
                        let here = format!("/register/confirm/{}", params.read_untracked().get("type_key").unwrap_or_default());
                        refusal(e, &with_ref(&here, ref_.as_deref()))
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConfirmForm(info: ConfirmationFormInfo, ref_: Option<String>) -> impl IntoView {
    let state = FormState::prefilled(info.known.clone());
    let session = expect_context::<SessionContext>();
    let navigate = use_navigate();
    let rules = info.rules;
    let (is_business, is_company) = (rules.flow.joins_organization(), rules.flow.creates_organization());
    let action = with_ref(&format!("/register/confirm/{}", info.key), ref_.as_deref());
    let key = info.key.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: RegistrationForm = read_form(&ev);
        let checked = form.validate_confirmation(&rules).map(|_| ());
        let (key, ref_, navigate) = (key.clone(), ref_.clone(), navigate.clone());
        state.submit(
            checked,
            move || confirm_registration(key, form, ref_),
            move |next: String| {
                session.changed();
                navigate(&next, Default::default());
            },
        );
    };
    let phone_label = if is_business { "Business phone" } else { "Phone" };
    let phone_required = is_business && rules.mandate_business_phone;
    view! {
        <Title text=format!("Confirm registration · {}", info.long_name) />
        <section class="panel">
            <h1>"Confirm registration"</h1>
            <p class="form-intro">{info.long_name.clone()} ". Check what we know about you and add what is missing. Fields marked with "
                <span aria-hidden="true">"*"</span> <span class="visually-hidden">"an asterisk"</span> " are required."</p>
            <form method="post" action=action on:submit=on_submit novalidate>
                <FormAlert state />
                {is_business.then(|| view! {
                    <TextField state label="Registry ID" name="registry_id" required=true
                        hint="Your company's Registry ID, like R-7K4Q2M" value=state.value("registry_id") />
                })}
                {is_company.then(|| view! { <CompanyFields state phone_required=is_company && rules.mandate_business_phone /> })}
                <DetailsFields state phone_label phone_required />
                <Checkbox label="Please send me e-mail about special offers and products" name="marketing_opt_in" checked=state.checked("marketing_opt_in") />
                <FormActions state label="Confirm registration" progress="Confirming your registration…" />
            </form>
        </section>
    }
    .into_any()
}
