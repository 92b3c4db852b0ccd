//! `/register/complete`: the confirmation a new company's first user sees, with the Registry ID
//! and a Continue link to `ref` (REG-6).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::register::confirmation::company_confirmation;
use crate::domain::safe_ref;

#[component]
pub fn RegisterCompletePage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_ref(&query.read().get("ref").unwrap_or_else(|| "/".into()));
    let confirmation = Resource::new(|| (), |_| company_confirmation());
    view! {
        <Title text="Registration complete" />
        <section class="panel">
            <h1>"Registration complete"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match confirmation.await {
                        Ok(Some(c)) => view! {
                            <div class="confirmation" role="status">
                                <p>"Your company " <strong>{c.company_name}</strong> " is registered and you are signed in as its administrator."</p>
                                <p>"Your company's Registry ID is " <code class="registry-id">{c.registry_id}</code></p>
                                <p>"Give it to your colleagues: they need it to register as users of your company. We have also sent it to you by e-mail."</p>
                            </div>
                        }
                        .into_any(),
                        _ => view! { <p>"Your registration is complete."</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a class="button" href=next>"Continue"</a></p>
        </section>
    }
}
