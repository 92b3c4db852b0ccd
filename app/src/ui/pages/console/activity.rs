//! CON-5 `/console/audit` (searchable, read only) and CON-6 `/console/outbox` (by status, with
//! Retry of a failed message, also without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::console::activity::{
    audit_entries, outbox_entries, retry_message, AuditLine, AuditQuery, AUDIT, OUTBOX,
};
use crate::ui::components::{refusal, ConsoleNav, FormAlert, FormState, RowAction, SelectField, TextField};

fn href(base: &str, pairs: &[(&str, String)]) -> String {
    let pairs: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    if pairs.is_empty() {
        return base.to_owned();
    }
    format!("{base}?{}", serde_html_form::to_string(pairs).unwrap_or_default())
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        AuditQuery { action: get("action"), subject: get("subject"), actor: get("actor"), cursor: get("cursor") }
    };
    let page = Resource::new(search, audit_entries);
    view! {
        <Title text="Audit log" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => refusal(e, AUDIT),
                    Ok(page) => {
                        let s = search();
                        let form = FormState::new();
                        let next = page.next_cursor.map(|cursor| {
                            href(AUDIT, &[("action", s.action.clone()), ("subject", s.subject.clone()),
                                ("actor", s.actor.clone()), ("cursor", cursor)])
                        });
                        let first = (!s.cursor.is_empty()).then(|| {
                            href(AUDIT, &[("action", s.action.clone()), ("subject", s.subject.clone()), ("actor", s.actor.clone())])
                        });
                        view! {
                            <section class="panel wide">
                                <h1>"Audit log"</h1>
                                <ConsoleNav current=AUDIT />
                                <p>"Every security-relevant change, newest first. Entries cannot be changed or removed."</p>
                                <form class="search" method="get" action=AUDIT role="search">
                                    <TextField state=form label="Action" name="action" input_type="search" value=s.action.clone()
                                        hint="An action such as user.disabled, or its start ending in a dot: user." />
                                    <TextField state=form label="Subject" name="subject" input_type="search" value=s.subject.clone()
                                        hint="The id of a user, request, organization or other record." />
                                    <TextField state=form label="Actor" name="actor" input_type="search" value=s.actor.clone()
                                        hint="A username or an integration's client ID." />
                                    <div class="form-actions"><button type="submit" class="button">"Search"</button></div>
                                </form>
                                {if page.entries.is_empty() {
                                    view! { <p class="notice" role="status">"No entries match."</p> }.into_any()
                                } else {
                                    view! { <AuditTable entries=page.entries /> }.into_any()
                                }}
                                <nav class="pager" aria-label="Pages">
                                    {first.map(|href| view! { <a href=href>"Newest entries"</a> })}
                                    {next.map(|href| view! { <a href=href>"Older entries"</a> })}
                                </nav>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditLine>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data audit">
                <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"Actor"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Subject"</th>
                        <th scope="col">"Justification"</th>
                        <th scope="col">"Change"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let actor = match e.actor_kind.as_str() {
                            "integration" => format!("{} (integration)", e.actor),
                            _ => e.actor,
                        };
                        let change = (e.before.is_some() || e.after.is_some()).then(|| view! {
                            <details>
                                <summary>"Before and after"</summary>
                                <dl class="change">
                                    <dt>"Before"</dt><dd><code>{e.before.unwrap_or_else(|| "—".into())}</code></dd>
                                    <dt>"After"</dt><dd><code>{e.after.unwrap_or_else(|| "—".into())}</code></dd>
                                </dl>
                            </details>
                        });
                        view! {
                            <tr>
                                <td class="nowrap">{e.at}</td>
                                <td>{actor}</td>
                                <td><code>{e.action}</code></td>
                                <td>{e.subject_type}" "<code class="id">{e.subject_id}</code></td>
                                <td>{e.justification.unwrap_or_default()}</td>
                                <td class="change">{change}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

const STATUS_FILTERS: &[(&str, &str)] = &[("", "All"), ("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")];

#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0).max(0);
    let version = RwSignal::new(0_u32);
    let list = Resource::new(move || (status(), page(), version.get()), |(s, p, _)| outbox_entries(s, p));
    let notice =
        move || (query.read().get("notice").as_deref() == Some("retried")).then_some("The message was queued again.");
    view! {
        <Title text="Outbox" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, OUTBOX),
                    Ok(list) => {
                        let status = status();
                        let filter = FormState::new();
                        let retry_state = FormState::new();
                        let prev = (list.page > 0).then(|| href(OUTBOX, &[("status", status.clone()), ("page", (list.page - 1).to_string())]));
                        let next = list.has_next.then(|| href(OUTBOX, &[("status", status.clone()), ("page", (list.page + 1).to_string())]));
                        let options: Vec<(String, String)> =
                            STATUS_FILTERS.iter().map(|(v, t)| ((*v).to_owned(), (*t).to_owned())).collect();
                        let empty = list.entries.is_empty();
                        view! {
                            <section class="panel wide">
                                <h1>"Outbox"</h1>
                                <ConsoleNav current=OUTBOX />
                                {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                                <form class="search" method="get" action=OUTBOX role="search">
                                    <SelectField state=filter label="Status" name="status" options selected=status.clone() />
                                    <div class="form-actions"><button type="submit" class="button">"Show"</button></div>
                                </form>
                                <FormAlert state=retry_state />
                                {if empty {
                                    view! { <p class="notice" role="status">"No messages."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                            <table class="data">
                                                <caption class="visually-hidden">"E-mail messages, newest first"</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Created (UTC)"</th>
                                                        <th scope="col">"Recipient"</th>
                                                        <th scope="col">"Subject"</th>
                                                        <th scope="col">"Status"</th>
                                                        <th scope="col">"Attempts"</th>
                                                        <th scope="col">"Last error"</th>
                                                        <th scope="col">"Actions"</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {list.entries.into_iter().map(|m| {
                                                        let action = (m.status == "failed").then(|| {
                                                            let id = m.id.clone();
                                                            view! {
                                                                <RowAction action=format!("{OUTBOX}/{}/retry", m.id)
                                                                    label=format!("Retry the message to {}", m.recipient) text="Retry"
                                                                    hidden=vec![] state=retry_state version
                                                                    call=move || retry_message(id.clone()) />
                                                            }
                                                        });
                                                        let status_text = match m.sent_at {
                                                            Some(at) => format!("Sent {at}"),
                                                            None => capitalized(&m.status),
                                                        };
                                                        view! {
                                                            <tr>
                                                                <td class="nowrap">{m.created_at}</td>
                                                                <td>{m.recipient}</td>
                                                                <td>{m.subject}</td>
                                                                <td>{status_text}</td>
                                                                <td data-num="">{m.attempts}</td>
                                                                <td>{m.last_error.unwrap_or_default()}</td>
                                                                <td class="actions">{action}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                <nav class="pager" aria-label="Pages">
                                    {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
                                    <span>{format!("Page {}", list.page + 1)}</span>
                                    {next.map(|href| view! { <a href=href>"Next page"</a> })}
                                </nav>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
