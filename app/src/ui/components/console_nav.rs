//! The console's menu (CON): the sections of `CONSOLE_SECTIONS`, the current one marked for
//! screen readers. Shown on every console page; the server refuses the pages to anyone but a
//! merchant admin whatever this shows.

use leptos::prelude::*;

use crate::api::console::CONSOLE_SECTIONS;

/// `current` is the href of the section the page belongs to.
#[component]
pub fn ConsoleNav(current: &'static str) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Console">
            {CONSOLE_SECTIONS
                .iter()
                .map(|s| {
                    let here = (s.href == current).then_some("page");
                    view! { <a href=s.href aria-current=here>{s.label}</a> }
                })
                .collect_view()}
        </nav>
    }
}
