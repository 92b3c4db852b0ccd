//! `/profile/phones` (PRO-2): the phone book — list, add, edit, remove, make primary. Every
//! form posts without JavaScript too (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::profile::phones::{
    add_phone, edit_phone, notice_text, phone_book, phone_entry, prefer_phone, remove_phone, PhoneView, PHONES,
};
use crate::domain::{PhoneForm, PhoneKind};
use crate::ui::components::{
    read_form, refusal, FormActions, FormAlert, FormState, ProfileNav, RowAction, SelectField, TextField,
};

#[component]
pub fn PhoneBookPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let state = FormState::new();
    let version = RwSignal::new(0_u32);
    let phones = Resource::new(move || version.get(), |_| phone_book());
    view! {
        <Title text="Phones" />
        <section class="panel wide">
            <h1>"Your profile"</h1>
            <ProfileNav current=PHONES />
            <h2>"Phones"</h2>
            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <FormAlert state />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match phones.await {
                        Err(e) => refusal(e, PHONES),
                        Ok(list) if list.is_empty() => view! { <p>"There are no phone numbers yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="data">
                                    <caption class="visually-hidden">"Your phone numbers"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Number"</th>
                                            <th scope="col">"Kind"</th>
                                            <th scope="col">"Preferred"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|p| view! { <PhoneRow phone=p state version /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
            <p><a class="button" href="/profile/phones/new">"Add a phone number"</a></p>
        </section>
    }
}

#[component]
fn PhoneRow(phone: PhoneView, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let number = phone.number.clone();
    let preferred = if phone.is_primary {
        view! { <strong>"Preferred"</strong> }.into_any()
    } else {
        let id = phone.id.clone();
        view! {
            <RowAction action=format!("{PHONES}/{}/prefer", phone.id) label=format!("Make {number} preferred")
                text="Make preferred" hidden=Vec::new() state version call=move || prefer_phone(id.clone()) />
        }
        .into_any()
    };
    let id = phone.id.clone();
    view! {
        <tr>
            <td>{phone.number.clone()}</td>
            <td>{phone.kind.label()}</td>
            <td>{preferred}</td>
            <td class="actions">
                <a class="button button-secondary" href=format!("{PHONES}/{}", phone.id) aria-label=format!("Edit {number}")>"Edit"</a>
                " "
                <RowAction action=format!("{PHONES}/{}/remove", phone.id) label=format!("Remove {number}") text="Remove"
                    hidden=Vec::new() state version call=move || remove_phone(id.clone()) />
            </td>
        </tr>
    }
}

#[component]
pub fn NewPhonePage() -> impl IntoView {
    view! {
        <Title text="Add a phone number" />
        <section class="panel">
            <h1>"Add a phone number"</h1>
            <ProfileNav current=PHONES />
            <PhoneEditor existing=None />
        </section>
    }
}

#[component]
pub fn EditPhonePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let entry = Resource::new(id, phone_entry);
    view! {
        <Title text="Edit phone number" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entry.await {
                    Err(e) => refusal(e, PHONES),
                    Ok(phone) => view! {
                        <section class="panel">
                            <h1>"Edit phone number"</h1>
                            <ProfileNav current=PHONES />
                            <PhoneEditor existing=Some(phone) />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PhoneEditor(existing: Option<PhoneView>) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|p| p.id.clone());
    let action = match &id {
        Some(id) => format!("{PHONES}/{id}"),
        None => format!("{PHONES}/new"),
    };
    let values = match existing {
        Some(p) if !state.is_resubmission() => PhoneForm::of(&p.number, p.kind),
        _ => PhoneForm { number: state.value("number"), kind: state.value("kind") },
    };
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Choose a kind".to_owned()))
        .chain(PhoneKind::ALL.into_iter().map(|k| (k.to_string(), k.label().to_owned())))
        .collect();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: PhoneForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => edit_phone(id, form).await,
                None => add_phone(form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Phone number" name="number" input_type="tel" required=true autocomplete="tel" value=values.number
                hint="Like +1 415 555 0100" />
            <SelectField state label="Kind" name="kind" required=true options=kinds selected=values.kind />
            <FormActions state label="Save" progress="Saving…">
                <a href=PHONES>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}
