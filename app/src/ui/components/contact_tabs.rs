//! The heading and tabs of one contact's pages (ADM-3 … ADM-6): Details, Roles, Sites,
//! Accounts — only those the server said the caller may open, the current one marked.

use leptos::prelude::*;

use crate::api::admin::{ContactHeading, ContactTab, CONTACTS};

#[component]
pub fn ContactTabs(heading: ContactHeading, current: ContactTab) -> impl IntoView {
    let ContactHeading { contact_id, name, username, tabs } = heading;
    view! {
        <p class="breadcrumb"><a href=CONTACTS>"Contacts"</a></p>
        <h1>{name}</h1>
        {username.map(|u| view! { <p class="field-hint">"Username: "{u}</p> })}
        <nav class="tabs" aria-label="This contact">
            {tabs
                .into_iter()
                .map(|tab| {
                    let here = (tab == current).then_some("page");
                    view! { <a href=tab.href(&contact_id) aria-current=here>{tab.label()}</a> }
                })
                .collect_view()}
        </nav>
    }
}
