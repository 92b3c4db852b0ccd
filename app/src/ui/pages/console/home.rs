//! `/console`: the console's home, with what waits for the merchant's staff and the sections.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::console::overview::console_overview;
use crate::api::console::{CONSOLE, CONSOLE_SECTIONS};
use crate::ui::components::{refusal, ConsoleNav};

#[component]
pub fn ConsoleHomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| console_overview());
    view! {
        <Title text="Console" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => refusal(e, CONSOLE),
                    Ok(o) => view! {
                        <section class="panel wide">
                            <h1>"Console"</h1>
                            <ConsoleNav current=CONSOLE />
                            <ul class="summary">
                                <li>
                                    <a href="/console/approvals">{count(o.pending_requests, "request", "requests")}</a>
                                    " waiting for a decision"
                                </li>
                                <li>
                                    <a href="/console/outbox?status=failed">{count(o.failed_messages, "message", "messages")}</a>
                                    " that could not be delivered"
                                </li>
                            </ul>
                            <dl class="sections">
                                {CONSOLE_SECTIONS
                                    .iter()
                                    .skip(1)
                                    .map(|s| view! {
                                        <dt><a href=s.href>{s.label}</a></dt>
                                        <dd>{s.summary}</dd>
                                    })
                                    .collect_view()}
                            </dl>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
