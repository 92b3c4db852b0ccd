//! The sub-tabs of a console section with several pages (CON-2: "Approvals setup" has
//! definitions and groups; "Roles and sites" has roles, enrollments and sites), shown under the
//! console's menu, the current one marked for screen readers.

use leptos::prelude::*;

/// `tabs` are (label, href); `current` is the href of the page's tab.
#[component]
pub fn SectionTabs(
    label: &'static str,
    tabs: &'static [(&'static str, &'static str)],
    current: &'static str,
) -> impl IntoView {
    view! {
        <nav class="tabs section-tabs" aria-label=label>
            {tabs
                .iter()
                .map(|(text, href)| {
                    let here = (*href == current).then_some("page");
                    view! { <a href=*href aria-current=here>{*text}</a> }
                })
                .collect_view()}
        </nav>
    }
}
