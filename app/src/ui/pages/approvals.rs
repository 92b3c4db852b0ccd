//! Pending Approvals (APR-4 … APR-8): the queue and the Approve / Reject pages, for a
//! company's approvers (`/admin/approvals`) and for merchant admins (`/console/approvals`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::approvals::decide::{approve_request, notice_text, reject_request};
use crate::api::approvals::queue::{approval_request, pending_approvals};
use crate::api::approvals::{RequestDetail, Scope};
use crate::api::types::FormSubmission;
use crate::domain::{ConflictCode, DecisionForm};
use crate::ui::components::{read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState};

#[component]
pub fn CompanyApprovalsPage() -> impl IntoView {
    view! { <ApprovalsQueue scope=Scope::Company /> }
}

#[component]
pub fn ConsoleApprovalsPage() -> impl IntoView {
    view! { <ApprovalsQueue scope=Scope::Merchant /> }
}

#[component]
fn ApprovalsQueue(scope: Scope) -> impl IntoView {
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0).max(0);
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    let heading = move || {
        view! {
            <h1>"Pending Approvals"</h1>
            {(scope == Scope::Merchant).then(|| view! { <ConsoleNav current="/console/approvals" /> })}
            {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        }
    };
    view! {
        <Title text="Pending Approvals" />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                // The page is read in the render, not through a `Resource`: a queue page has no
                // form, so it is served without the browser half (page_scripts.rs) and a
                // Resource's copy of the rows for hydration would be dead weight — a third of
                // the page's bytes and their serialization (issue 11). Reached by a link from a
                // page that runs the app, it renders in the browser, calling the same function.
                {move || {
                    let page = page();
                    Suspend::new(async move {
                        match pending_approvals(scope, page).await {
                            Err(e) => refusal(e, scope.base()),
                            Ok(page) if page.entries.is_empty() && page.page == 0 => {
                                view! {
                                    <section class="panel wide">
                                        {heading()}
                                        <p>"There are no requests waiting for you."</p>
                                    </section>
                                }
                                .into_any()
                            }
                            Ok(page) => {
                                let base = scope.base();
                                let prev = (page.page > 0).then(|| format!("{base}?page={}", page.page - 1));
                                let next = page.has_next.then(|| format!("{base}?page={}", page.page + 1));
                                view! {
                                    <section class="panel wide">
                                    {heading()}
                                    <div class="table-scroll">
                                        <table class="data">
                                            <caption class="visually-hidden">"Requests waiting for your decision, oldest first"</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Name"</th>
                                                    <th scope="col">"Username"</th>
                                                    <th scope="col">"E-mail"</th>
                                                    <th scope="col">"User type"</th>
                                                    <th scope="col">"Company"</th>
                                                    <th scope="col">"Request type"</th>
                                                    <th scope="col">"Submitted"</th>
                                                    <th scope="col">"Step"</th>
                                                    <th scope="col">"Actions"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {page.entries.into_iter().map(|e| {
                                                    let approve = format!("{base}/{}/approve", e.id);
                                                    let reject = format!("{base}/{}/reject", e.id);
                                                    let label_a = format!("Approve {}", e.name);
                                                    let label_r = format!("Reject {}", e.name);
                                                    view! {
                                                        <tr>
                                                            <td>{e.name}</td>
                                                            <td>{e.username}</td>
                                                            <td>{e.email}</td>
                                                            <td>{e.user_type}</td>
                                                            <td>{e.company}</td>
                                                            <td>{e.request_type}</td>
                                                            <td>{e.submitted_at}</td>
                                                            <td>{e.step}</td>
                                                            <td class="actions">
                                                                <a class="button" href=approve aria-label=label_a>"Approve"</a>
                                                                " "
                                                                <a class="button button-secondary" href=reject aria-label=label_r>"Reject"</a>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Pages">
                                        {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
                                        {next.map(|href| view! { <a href=href>"Next page"</a> })}
                                    </nav>
                                    </section>
                                }
                                .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decision {
    Approve,
    Reject,
}

#[component]
pub fn CompanyApprovePage() -> impl IntoView {
    view! { <DecisionPage scope=Scope::Company decision=Decision::Approve /> }
}
#[component]
pub fn CompanyRejectPage() -> impl IntoView {
    view! { <DecisionPage scope=Scope::Company decision=Decision::Reject /> }
}
#[component]
pub fn ConsoleApprovePage() -> impl IntoView {
    view! { <DecisionPage scope=Scope::Merchant decision=Decision::Approve /> }
}
#[component]
pub fn ConsoleRejectPage() -> impl IntoView {
    view! { <DecisionPage scope=Scope::Merchant decision=Decision::Reject /> }
}

#[component]
fn DecisionPage(scope: Scope, decision: Decision) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = Resource::new(id, move |id| approval_request(scope, id));
    let title = if decision == Decision::Approve { "Approve request" } else { "Reject request" };
    view! {
        <Title text=title />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <DecisionForm scope decision detail /> }.into_any(),
                    Err(e) => match use_context::<FormSubmission>().and_then(|s| s.conflict.zip(s.form_error)) {
                        // APR-9: a plain post that lost the race: say so, not "not found".
                        Some((ConflictCode::AlreadyDecided, message)) => view! {
                            <section class="panel narrow">
                                <h1>{title}</h1>
                                <div class="form-alert" role="alert"><p>{message}</p></div>
                                <p><a href=scope.base()>"Back to Pending Approvals"</a></p>
                            </section>
                        }
                        .into_any(),
                        Some((
                            ConflictCode::PrimaryEmail
                            | ConflictCode::AddressBookFull
                            | ConflictCode::PhoneBookFull
                            | ConflictCode::BusinessPhoneRequired
                            | ConflictCode::LastAdministrator
                            | ConflictCode::OwnAccess
                            | ConflictCode::UserStatus
                            | ConflictCode::OwnLogin,
                            _,
                        ))
                        | None => refusal(e, scope.base()),
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
fn DecisionForm(scope: Scope, decision: Decision, detail: RequestDetail) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let id = detail.entry.id.clone();
    let action =
        format!("{}/{}/{}", scope.base(), id, if decision == Decision::Approve { "approve" } else { "reject" });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: DecisionForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match decision {
                Decision::Approve => approve_request(scope, id, form).await,
                Decision::Reject => reject_request(scope, id, form).await,
            }
        };
        state.submit(checked, call, move |next: String| navigate(&next, Default::default()));
    };
    let e = detail.entry;
    let heading = if decision == Decision::Approve { "Approve request" } else { "Reject request" };
    let button = if decision == Decision::Approve { "Approve" } else { "Reject" };
    let show_accounts = decision == Decision::Approve && !detail.accounts.is_empty();
    let accounts = detail.accounts;
    view! {
        <section class="panel">
            <h1>{heading}</h1>
            <dl class="details">
                <dt>"Name"</dt><dd>{e.name}</dd>
                <dt>"Username"</dt><dd>{e.username}</dd>
                <dt>"E-mail"</dt><dd>{e.email}</dd>
                <dt>"User type"</dt><dd>{e.user_type}</dd>
                <dt>"Company"</dt><dd>{e.company}</dd>
                <dt>"Request type"</dt><dd>{e.request_type}</dd>
                <dt>"Submitted"</dt><dd>{e.submitted_at}</dd>
                <dt>"Step"</dt><dd>{e.step}</dd>
                {e.last_comment.map(|c| view! { <dt>"Comment from the previous approver"</dt><dd>{c}</dd> })}
            </dl>
            <form method="post" action=action on:submit=on_submit novalidate>
                <FormAlert state />
                <div class="field" class:field-invalid=move || state.error_for("comments").is_some()>
                    <label for="comments">"Comments"</label>
                    <textarea id="comments" name="comments" rows="4" maxlength="2000"
                        aria-invalid=move || if state.error_for("comments").is_some() { "true" } else { "false" }
                        aria-describedby=move || state.error_for("comments").map(|_| "comments-error")>{state.value("comments")}</textarea>
                    {move || state.error_for("comments").map(|m| view! { <p class="field-error" id="comments-error">{m}</p> })}
                </div>
                {show_accounts.then(|| view! {
                    // Several choices are checkboxes, one per account (APR-5).
                    <fieldset class="group" aria-describedby="accounts-hint">
                        <legend>"Accounts to assign"</legend>
                        <p class="field-hint" id="accounts-hint">"Choose one or more. With none chosen the user gets the company's primary account."</p>
                        {accounts.into_iter().map(|a| {
                            let text = if a.is_company_primary { format!("{} (primary)", a.account_number) } else { a.account_number };
                            let id = format!("account-{}", a.id);
                            view! {
                                <div class="field field-checkbox">
                                    <input type="checkbox" id=id.clone() name="accounts" value=a.id />
                                    <label for=id>{text}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <FormActions state label=button progress="Saving your decision…">
                    <a href=scope.base()>"Back to Pending Approvals"</a>
                </FormActions>
            </form>
        </section>
    }
}
