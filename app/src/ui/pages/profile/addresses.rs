//! `/profile/addresses` (PRO-2): the address book, and the add/edit form. The list and the
//! form also serve the company's addresses on `/company` (PRO-5), through `Book`. Every form,
//! including each row's Remove and Make preferred, posts without JavaScript (REG-15).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::profile::addresses::{
    add_address, address_book, address_entry, edit_address, notice_text, prefer_address, remove_address, AddressView,
    Book,
};
use crate::domain::{AddressForm, AddressUsage};
use crate::ui::components::{
    posted_address, read_form, refusal, AddressFields, FormActions, FormAlert, FormState, ProfileNav, RowAction,
};

#[component]
pub fn AddressBookPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Title text="Addresses" />
        <section class="panel wide">
            <h1>"Your profile"</h1>
            <ProfileNav current="/profile/addresses" />
            <h2>"Addresses"</h2>
            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <AddressList book=Book::Person editable=true />
            <p><a class="button" href="/profile/addresses/new">"Add an address"</a></p>
        </section>
    }
}

/// The active addresses of `book` with their usages; with `editable`, each row has Edit,
/// Remove and Make preferred (small forms, one button each).
#[component]
pub fn AddressList(book: Book, editable: bool) -> impl IntoView {
    // Only a row action's form-level refusal is shown here; field errors of a failed post
    // belong to the form on the same page (the company profile).
    let state = FormState::new();
    state.errors.set(Vec::new());
    let version = RwSignal::new(0_u32);
    let addresses = Resource::new(move || version.get(), move |_| address_book(book));
    view! {
        <FormAlert state />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match addresses.await {
                    Err(e) => refusal(e, book.list()),
                    Ok(list) if list.is_empty() => view! { <p>"There are no addresses yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll">
                            <table class="data">
                                <caption class="visually-hidden">"Addresses, newest first, with what each is used for"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Address"</th>
                                        <th scope="col">"Billing"</th>
                                        <th scope="col">"Shipping"</th>
                                        {editable.then(|| view! { <th scope="col">"Actions"</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! { <AddressRow book editable address=a state version /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressRow(
    book: Book,
    editable: bool,
    address: AddressView,
    state: FormState,
    version: RwSignal<u32>,
) -> impl IntoView {
    let line = address.one_line();
    let usage_cell = |usage: AddressUsage| {
        let preferred = address.usages.iter().find(|(u, _)| *u == usage).map(|(_, p)| *p);
        match preferred {
            Some(true) => view! { <strong>"Preferred"</strong> }.into_any(),
            Some(false) if editable => {
                let id = address.id.clone();
                let action = format!("{}/{}/prefer", book.base(), address.id);
                let label = format!("Make preferred for {usage}: {line}");
                view! {
                    "Yes "
                    <RowAction action label text="Make preferred" hidden=vec![("usage", usage.to_string())] state version
                        call=move || prefer_address(book, id.clone(), usage.to_string()) />
                }
                .into_any()
            }
            Some(false) => view! { "Yes" }.into_any(),
            None => view! { "No" }.into_any(),
        }
    };
    let billing = usage_cell(AddressUsage::Billing);
    let shipping = usage_cell(AddressUsage::Shipping);
    let actions = editable.then(|| {
        let id = address.id.clone();
        let edit = format!("{}/{}", book.base(), address.id);
        let remove = format!("{}/{}/remove", book.base(), address.id);
        view! {
            <td class="actions">
                <a class="button button-secondary" href=edit aria-label=format!("Edit {line}")>"Edit"</a>
                " "
                <RowAction action=remove label=format!("Remove {line}") text="Remove" hidden=Vec::new() state version
                    call=move || remove_address(book, id.clone()) />
            </td>
        }
    });
    view! {
        <tr>
            <td>{line.clone()}</td>
            <td>{billing}</td>
            <td>{shipping}</td>
            {actions}
        </tr>
    }
}

#[component]
pub fn NewAddressPage() -> impl IntoView {
    view! {
        <Title text="Add an address" />
        <section class="panel">
            <h1>"Add an address"</h1>
            <ProfileNav current="/profile/addresses" />
            <AddressEditor book=Book::Person existing=None />
        </section>
    }
}

#[component]
pub fn EditAddressPage() -> impl IntoView {
    view! { <EditAddress book=Book::Person /> }
}

/// The edit page of one address of `book`; an unknown or foreign id is "not found" (SEC-5).
#[component]
pub fn EditAddress(book: Book) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let entry = Resource::new(id, move |id| address_entry(book, id));
    view! {
        <Title text="Edit address" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entry.await {
                    Err(e) => refusal(e, book.list()),
                    Ok(address) => view! {
                        <section class="panel">
                            <h1>"Edit address"</h1>
                            {(book == Book::Person).then(|| view! { <ProfileNav current="/profile/addresses" /> })}
                            <AddressEditor book existing=Some(address) />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The address form (REG-6 fields, usage checkboxes): adds to `book`, or edits `existing`.
#[component]
pub fn AddressEditor(book: Book, existing: Option<AddressView>) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|a| a.id.clone());
    let action = match &id {
        Some(id) => format!("{}/{id}", book.base()),
        None => format!("{}/new", book.base()),
    };
    // A failed plain post shows what was posted (REG-14); otherwise the stored address.
    let values = match existing {
        Some(a) if !state.is_resubmission() => a.form,
        _ => AddressForm { usages: state.values_of("usages"), ..posted_address(&state) },
    };
    let usages = values.usages.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: AddressForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => edit_address(book, id, form).await,
                None => add_address(book, form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let usage_error = move || state.error_for("usages");
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <AddressFields state values />
            // Several choices are checkboxes (PRO-2), one per usage.
            <fieldset class="group" aria-describedby="usages-hint">
                <legend>"Use this address for"</legend>
                <p class="field-hint" id="usages-hint">"The first address for a use becomes the preferred one."</p>
                {AddressUsage::ALL.into_iter().map(|usage| {
                    let id = format!("usage-{usage}");
                    let checked = usages.contains(&usage.to_string());
                    view! {
                        <div class="field field-checkbox">
                            <input type="checkbox" id=id.clone() name="usages" value=usage.to_string() checked=checked />
                            <label for=id>{usage.label()}</label>
                        </div>
                    }
                }).collect_view()}
                {move || usage_error().map(|m| view! { <p class="field-error" id="usages-error">{m}</p> })}
            </fieldset>
            <FormActions state label="Save" progress="Saving…">
                <a href=book.list()>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}
