//! `/company` (PRO-5): the company profile — a form with UPDATE_ORG_DETAILS, read-only with
//! ORG_DETAILS alone — with the company's addresses; `/company/addresses/…` to add and edit
//! them; `/company/administrators` (PRO-6). The server refuses the rest (SEC-5): a page
//! opened by URL answers 403, and so does every post and server function.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::profile::addresses::{AddressEditor, AddressList, EditAddress};
use crate::api::company::administrators::company_administrators;
use crate::api::company::profile::{company_profile, save_company_profile, CompanyProfileInfo, COMPANY};
use crate::api::profile::addresses::{notice_text as address_notice, Book};
use crate::domain::CompanyProfileForm;
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, TextField};

fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "saved" => Some("The company profile was saved."),
        other => address_notice(other),
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let version = RwSignal::new(0_u32);
    let profile = Resource::new(move || version.get(), |_| company_profile(false));
    view! {
        <Title text="Company profile" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(e) => refusal(e, COMPANY),
                    Ok(info) => {
                        let editable = info.editable;
                        view! {
                            <section class="panel wide">
                                <h1>"Company profile"</h1>
                                {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                                {if editable {
                                    view! { <CompanyProfileEditor info version /> }.into_any()
                                } else {
                                    view! { <CompanyProfileView info /> }.into_any()
                                }}
                                <h2>"Company addresses"</h2>
                                <AddressList book=Book::Company editable />
                                {editable.then(|| view! { <p><a class="button" href="/company/addresses/new">"Add an address"</a></p> })}
                                <p><a href="/company/administrators">"Company administrators"</a></p>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// ORG_DETAILS without UPDATE_ORG_DETAILS: the same facts, nothing to submit.
#[component]
fn CompanyProfileView(info: CompanyProfileInfo) -> impl IntoView {
    let or_dash = |v: String| if v.is_empty() { "—".to_owned() } else { v };
    let f = info.form;
    view! {
        <dl class="details">
            <dt>"Registry ID"</dt><dd>{info.registry_id}</dd>
            <dt>"Company name"</dt><dd>{f.company_name}</dd>
            <dt>"Website"</dt><dd>{or_dash(f.website)}</dd>
            <dt>"Annual revenue"</dt><dd>{or_dash(f.annual_revenue)}</dd>
            <dt>"Company phone"</dt><dd>{or_dash(f.company_phone)}</dd>
        </dl>
        <p class="field-hint">"Only your company's administrators can change these details."</p>
    }
}

#[component]
fn CompanyProfileEditor(info: CompanyProfileInfo, version: RwSignal<u32>) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let phone_required = info.phone_required;
    let values = if state.is_resubmission() {
        CompanyProfileForm {
            company_name: state.value("company_name"),
            website: state.value("website"),
            annual_revenue: state.value("annual_revenue"),
            company_phone: state.value("company_phone"),
        }
    } else {
        info.form
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: CompanyProfileForm = read_form(&ev);
        let checked = form.validate(phone_required).map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || save_company_profile(form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <dl class="details">
            <dt>"Registry ID"</dt><dd>{info.registry_id}</dd>
        </dl>
        <form method="post" action=COMPANY on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Company name" name="company_name" required=true autocomplete="organization" value=values.company_name />
            <TextField state label="Website" name="website" input_type="url" autocomplete="url" value=values.website hint="Like https://example.com" />
            <TextField state label="Annual revenue" name="annual_revenue" value=values.annual_revenue hint="A whole number, like 2500000" />
            <TextField state label="Company phone" name="company_phone" input_type="tel" required=phone_required autocomplete="tel" value=values.company_phone />
            <FormActions state label="Save" progress="Saving…" />
        </form>
    }
    .into_any()
}

/// Only for a caller who may change the company (UPDATE_ORG_DETAILS): else 403 (SEC-5).
#[component]
fn CompanyChangesOnly(children: ChildrenFn) -> impl IntoView {
    let allowed = Resource::new(|| (), |_| company_profile(true));
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match allowed.await {
                    Err(e) => refusal(e, COMPANY),
                    Ok(_) => children.with_value(|c| c()).into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CompanyNewAddressPage() -> impl IntoView {
    view! {
        <Title text="Add a company address" />
        <CompanyChangesOnly>
            <section class="panel">
                <h1>"Add a company address"</h1>
                <AddressEditor book=Book::Company existing=None />
            </section>
        </CompanyChangesOnly>
    }
}

#[component]
pub fn CompanyEditAddressPage() -> impl IntoView {
    view! {
        <CompanyChangesOnly>
            <EditAddress book=Book::Company />
        </CompanyChangesOnly>
    }
}

/// PRO-6: the company's primary users, read-only.
#[component]
pub fn CompanyAdministratorsPage() -> impl IntoView {
    let admins = Resource::new(|| (), |_| company_administrators());
    view! {
        <Title text="Company administrators" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match admins.await {
                    Err(e) => refusal(e, "/company/administrators"),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <h1>"Company administrators"</h1>
                            <p>"These people administer your company's users and details."</p>
                            <div class="table-scroll">
                                <table class="data">
                                    <caption class="visually-hidden">"Your company's administrators, by name"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Username"</th>
                                            <th scope="col">"E-mail"</th>
                                            <th scope="col">"Phone"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|a| view! {
                                            <tr><td>{a.name}</td><td>{a.username}</td><td>{a.email}</td><td>{a.phone}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p><a href=COMPANY>"Back to the company profile"</a></p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
