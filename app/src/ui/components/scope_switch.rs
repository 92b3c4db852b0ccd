//! The header's account and customer (PRO-3, PRO-7): the session's account number, and where a
//! user has several accounts (or, with multi-customer access, several customers) a small form
//! to switch. Plain forms: the whole page changes with the scope, so the server renders it anew.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::types::{ScopeOption, SessionUser};

#[component]
pub fn ScopeSwitch(user: SessionUser) -> impl IntoView {
    let location = use_location();
    let back = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    let customers = (!user.customers.is_empty()).then(|| {
        let options = user.customers.clone();
        view! {
            <SwitchForm back=back() endpoint="/session/customer" field="organization_id" label="Customer" options />
        }
    });
    let account = if user.accounts.is_empty() {
        user.account.map(|number| {
            view! {
                <span class="session-account">
                    "Account " <strong>{number}</strong>
                </span>
            }
            .into_any()
        })
    } else {
        let options = user.accounts.clone();
        Some(
            view! { <SwitchForm back=back() endpoint="/session/account" field="account_id" label="Account" options /> }
                .into_any(),
        )
    };
    view! { {customers} {account} }
}

#[component]
fn SwitchForm(
    back: String,
    endpoint: &'static str,
    field: &'static str,
    label: &'static str,
    options: Vec<ScopeOption>,
) -> impl IntoView {
    let action = crate::domain::with_ref(endpoint, Some(&back));
    let id = format!("session-{field}");
    view! {
        <form class="scope-switch" method="post" action=action>
            <label for=id.clone()>{label}</label>
            <select id=id name=field>
                {options
                    .into_iter()
                    .map(|o| view! { <option value=o.id selected=o.current>{o.label}</option> })
                    .collect_view()}
            </select>
            <button type="submit" class="button button-secondary">"Switch"</button>
        </form>
    }
}
