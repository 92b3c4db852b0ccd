//! `/profile/accounts` (PRO-3): a business user's active accounts for the session's customer,
//! which one is primary and which one this session uses; "Make primary" is a small form per
//! row, so it works without JavaScript, and without a reload with it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::session_scope::accounts::{my_accounts, set_primary_account};
use crate::api::types::AccountEntry;
use crate::ui::components::{refusal, FormAlert, FormState, ProfileNav};
use crate::ui::session::SessionContext;

const HERE: &str = "/profile/accounts";

#[component]
pub fn AccountsPage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let changed = RwSignal::new(0_u32);
    let accounts = Resource::new(move || changed.get(), |_| my_accounts());
    let query = use_query_map();
    let notice = RwSignal::new(query.read_untracked().get("notice").is_some_and(|n| n == "primary"));
    let state = FormState::new();
    let on_primary = Callback::new(move |id: String| {
        state.submit(
            Ok(()),
            move || set_primary_account(id),
            move |_next: String| {
                notice.set(true);
                changed.update(|v| *v += 1);
                session.changed();
            },
        );
    });
    view! {
        <Title text="Accounts" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Err(e) => refusal(e, HERE),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <h1>"Accounts"</h1>
                            <ProfileNav current=HERE />
                            {move || notice.get().then(|| view! {
                                <p class="notice" role="status">"Your primary account has been changed."</p>
                            })}
                            <FormAlert state />
                            <AccountsTable list on_primary />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountsTable(list: Vec<AccountEntry>, on_primary: Callback<String>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p>"No account is assigned to you for this customer. Your company's administrator can assign one."</p>
        }
        .into_any();
    }
    view! {
        <p>"The accounts assigned to you. Your primary account is used for this session unless you switch it in the header."</p>
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Your accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Account number"</th>
                        <th scope="col">"Primary"</th>
                        <th scope="col">"This session"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|a| {
                        let action = format!("/profile/accounts/{}/primary", a.id);
                        let label = format!("Make {} primary", a.account_number);
                        let id = a.id.clone();
                        let submit = move |ev: SubmitEvent| {
                            ev.prevent_default();
                            on_primary.run(id.clone());
                        };
                        view! {
                            <tr>
                                <td>{a.account_number}</td>
                                <td>{if a.is_primary { "Primary" } else { "" }}</td>
                                <td>{if a.in_session { "In use" } else { "" }}</td>
                                <td class="actions">
                                    {(!a.is_primary).then(|| view! {
                                        <form method="post" action=action on:submit=submit>
                                            <button type="submit" class="button button-secondary" aria-label=label>"Make primary"</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
