//! `/register`: the user types a visitor can register as (REG-1, REG-2, REG-3).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::register::listing::register_listing;
use crate::domain::with_ref;

#[component]
pub fn RegisterListPage() -> impl IntoView {
    let query = use_query_map();
    let groups = Resource::new(move || query.read().get("group_ut"), register_listing);
    let href = move |key: &str| with_ref(&format!("/register/{key}"), query.read().get("ref").as_deref());
    view! {
        <Title text="Register" />
        <section class="panel">
            <h1>"Register"</h1>
            <p>"Choose how you want to register."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(groups) => {
                            let entries: usize = groups.iter().map(|g| g.entries.len()).sum();
                            if entries == 1 {
                                // REG-1: a single type goes straight to its form.
                                let only = groups[0].entries[0].key.clone();
                                return view! { <Redirect path=href(&only) /> }.into_any();
                            }
                            view! {
                                <div class="type-groups">
                                    {groups
                                        .into_iter()
                                        .map(|group| {
                                            view! {
                                                <section class="type-group">
                                                    <h2>{group.heading}</h2>
                                                    <ul>
                                                        {group
                                                            .entries
                                                            .into_iter()
                                                            .map(|e| view! { <li><a href=href(&e.key)>{e.long_name}</a></li> })
                                                            .collect_view()}
                                                    </ul>
                                                </section>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p>"Already registered? " <a href="/login">"Sign in"</a></p>
        </section>
    }
}
