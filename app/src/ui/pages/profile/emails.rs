//! `/profile/emails` (PRO-2): the person's e-mail addresses — add (stored once its link is
//! followed), make another one primary, remove a non-primary one. The per-address actions post
//! to `/profile/emails/{id}/primary|remove`; a refused plain post renders this page again there.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use super::Notice;
use crate::api::profile::add_email::add_email;
use crate::api::profile::emails::my_emails;
use crate::api::profile::make_primary::make_primary_email;
use crate::api::profile::remove_email::remove_email;
use crate::api::profile::{EmailBookData, EmailEntry};
use crate::domain::EmailAddForm;
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, ProfileNav, RowAction, TextField};

const HERE: &str = "/profile/emails";

fn notice_text(notice: &str) -> Option<String> {
    match notice {
        "confirmation_sent" => Some(
            "We have sent a confirmation link to the new address. It is added when you follow the link.".to_owned(),
        ),
        "confirmed" => Some("Your e-mail address has been confirmed.".to_owned()),
        "primary" => Some("Your primary e-mail address has been changed.".to_owned()),
        "removed" => Some("The e-mail address has been removed.".to_owned()),
        _ => None,
    }
}

#[component]
pub fn EmailsPage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let book = Resource::new(move || version.get(), |_| my_emails());
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    // A refused plain post of an address's action renders this page at that action's path: its
    // message belongs to the actions, not to the Add form (and the other way round).
    let on_action_path = use_location().pathname.get_untracked() != HERE;
    let (actions, add) = (FormState::new(), FormState::new());
    if on_action_path {
        add.form_error.set(None);
        add.errors.set(Vec::new());
    } else {
        actions.form_error.set(None);
    }
    view! {
        <Title text="E-mail addresses" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match book.await {
                    Err(e) => refusal(e, HERE),
                    Ok(data) => view! {
                        <section class="panel wide">
                            <h1>"My Profile"</h1>
                            <ProfileNav current=HERE />
                            <h2>"E-mail addresses"</h2>
                            <Notice text=notice() />
                            <div class="form-alert" role="alert">
                                {move || actions.form_error.get().map(|m| view! { <p>{m}</p> })}
                            </div>
                            <AddressTable data=data.clone() actions version />
                            {(!data.waiting.is_empty()).then(|| view! {
                                <h3>"Waiting for confirmation"</h3>
                                <ul>{data.waiting.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                            })}
                            <AddForm state=add version />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AddressTable(data: EmailBookData, actions: FormState, version: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Your e-mail addresses, the primary one first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Use"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {data.stored.into_iter().map(|entry| view! { <AddressRow entry actions version /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AddressRow(entry: EmailEntry, actions: FormState, version: RwSignal<u32>) -> impl IntoView {
    let actions_view = (!entry.is_primary).then(|| {
        let (id_p, id_r) = (entry.id.clone(), entry.id.clone());
        view! {
            <RowAction action=format!("{HERE}/{}/primary", entry.id) label=format!("Make primary: {}", entry.address)
                text="Make primary" hidden=Vec::new() state=actions version call=move || make_primary_email(id_p.clone()) />
            <RowAction action=format!("{HERE}/{}/remove", entry.id) label=format!("Remove: {}", entry.address)
                text="Remove" hidden=Vec::new() state=actions version call=move || remove_email(id_r.clone()) />
        }
    });
    view! {
        <tr>
            <td class="address">{entry.address.clone()}</td>
            <td>{if entry.is_primary { "Primary" } else { "Other" }}</td>
            <td class="actions">{actions_view}</td>
        </tr>
    }
}

#[component]
fn AddForm(state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: EmailAddForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || add_email(form),
            move |next: String| {
                state.errors.set(Vec::new());
                state.form_error.set(None);
                navigate(&next, Default::default());
                version.update(|v| *v += 1);
            },
        );
    };
    view! {
        <h3>"Add an e-mail address"</h3>
        <form method="post" action=HERE on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Email" name="email" input_type="email" autocomplete="email"
                hint="We send a confirmation link to it; it is added when you follow the link." value=state.value("email") />
            <FormActions state label="Add address" progress="Sending…" />
        </form>
    }
    .into_any()
}
