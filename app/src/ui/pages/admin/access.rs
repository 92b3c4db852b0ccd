//! The access tabs of a contact's login: Roles (ADM-4), Sites (ADM-5) and Accounts (ADM-6),
//! and the confirmation of an account's removal. Every row button is a small form that posts
//! without JavaScript too (REG-15); a failed plain post renders its tab again with the reason.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::admin::user_accounts::{
    account_removal, accounts_href, assign_account, remove_account, user_accounts, AccountView,
};
use crate::api::admin::user_roles::{grant_role, revoke_role, roles_href, user_roles, RoleView};
use crate::api::admin::user_sites::{assign_site, remove_site, sites_href, user_sites};
use crate::api::admin::{user_accounts as accounts_api, user_roles as roles_api, user_sites as sites_api};
use crate::api::admin::{ContactTab, ROLES};
use crate::domain::permission_list;
use crate::ui::components::{refusal, ContactTabs, FormActions, FormAlert, FormState, RowAction};

/// The contact id of the page's URL.
fn contact_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").unwrap_or_default()
}

fn notice_view(text: Option<&'static str>) -> Option<impl IntoView> {
    text.map(|n| view! { <p class="notice" role="status">{n}</p> })
}

#[component]
pub fn ContactRolesPage() -> impl IntoView {
    let id = contact_id();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| roles_api::notice_text(&n));
    let state = FormState::new();
    let version = RwSignal::new(0_u32);
    let info = Resource::new(move || (id(), version.get()), |(id, _)| user_roles(id));
    view! {
        <Title text="Roles" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &roles_href(&id())),
                    Ok(info) => {
                        let contact = info.heading.contact_id.clone();
                        let held = info.held;
                        let grantable = info.grantable;
                        let name = info.heading.name.clone();
                        view! {
                            <section class="panel wide">
                                <ContactTabs heading=info.heading current=ContactTab::Roles />
                                {move || notice_view(notice())}
                                <FormAlert state />
                                <h2>"Roles held"</h2>
                                {if held.is_empty() {
                                    view! { <p>{format!("{name} holds no role.")}</p> }.into_any()
                                } else {
                                    let contact = contact.clone();
                                    view! {
                                        <RoleTable caption="Roles this user holds" roles=held.into_iter().map(|h| (h.role, h.revocable)).collect()
                                            missing="Not yours to revoke"
                                            act=move |role: &RoleView| {
                                                let (c, r) = (contact.clone(), role.id.clone());
                                                let action = format!("{}/{}/revoke", roles_href(&c), r);
                                                let label = format!("Revoke {}", role.name);
                                                view! { <RowAction action label text="Revoke" hidden=Vec::new() state version
                                                    call=move || revoke_role(c.clone(), r.clone()) /> }
                                            } />
                                    }
                                    .into_any()
                                }}
                                <h2>"Roles you can grant"</h2>
                                {if grantable.is_empty() {
                                    view! { <p>"There is no other role you can grant to this user."</p> }.into_any()
                                } else {
                                    let contact = contact.clone();
                                    view! {
                                        <RoleTable caption="Roles you can grant to this user" roles=grantable.into_iter().map(|r| (r, true)).collect()
                                            missing=""
                                            act=move |role: &RoleView| {
                                                let (c, r) = (contact.clone(), role.id.clone());
                                                let action = format!("{}/{}/grant", roles_href(&c), r);
                                                let label = format!("Grant {}", role.name);
                                                view! { <RowAction action label text="Grant" hidden=Vec::new() state version
                                                    call=move || grant_role(c.clone(), r.clone()) /> }
                                            } />
                                    }
                                    .into_any()
                                }}
                                <p class="field-hint">
                                    "You can grant the seeded roles and your company's roles whose permissions you hold yourself. "
                                    <a href=ROLES>"Role Management"</a>
                                </p>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Roles with their permissions; `act` makes the row's button where the flag allows it.
#[component]
fn RoleTable<A, V>(caption: &'static str, roles: Vec<(RoleView, bool)>, missing: &'static str, act: A) -> impl IntoView
where
    A: Fn(&RoleView) -> V + 'static,
    V: IntoView + 'static,
{
    view! {
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Permissions"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {roles.into_iter().map(|(role, allowed)| {
                        let button = if allowed { act(&role).into_any() } else { view! { <span>{missing}</span> }.into_any() };
                        view! {
                            <tr>
                                <td>{role.name.clone()}</td>
                                <td>{role.description.clone().unwrap_or_default()}</td>
                                <td class="permissions"><span>{permission_list(&role.permissions)}</span></td>
                                <td class="actions">{button}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ContactSitesPage() -> impl IntoView {
    let id = contact_id();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| sites_api::notice_text(&n));
    let state = FormState::new();
    let version = RwSignal::new(0_u32);
    let info = Resource::new(move || (id(), version.get()), |(id, _)| user_sites(id));
    view! {
        <Title text="Sites" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &sites_href(&id())),
                    Ok(info) => {
                        let contact = info.heading.contact_id.clone();
                        let sites = info.sites;
                        view! {
                            <section class="panel wide">
                                <ContactTabs heading=info.heading current=ContactTab::Sites />
                                {move || notice_view(notice())}
                                <FormAlert state />
                                <p>"The merchant's specialty sites. A user gets the sites whose required role they are granted; you can assign or remove any of them."</p>
                                {if sites.is_empty() {
                                    view! { <p>"The merchant has no active specialty site."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                            <table class="data">
                                                <caption class="visually-hidden">"Specialty sites and this user's access"</caption>
                                                <thead>
                                                    <tr>
                                                        <th scope="col">"Site"</th>
                                                        <th scope="col">"Required role"</th>
                                                        <th scope="col">"Access"</th>
                                                        <th scope="col">"Actions"</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {sites.into_iter().map(|site| {
                                                        let (c, s) = (contact.clone(), site.id.clone());
                                                        let button = if site.assigned {
                                                            view! { <RowAction action=format!("{}/{}/remove", sites_href(&c), s) label=format!("Remove {}", site.name)
                                                                text="Remove" hidden=Vec::new() state version call=move || remove_site(c.clone(), s.clone()) /> }.into_any()
                                                        } else {
                                                            view! { <RowAction action=format!("{}/{}/assign", sites_href(&c), s) label=format!("Assign {}", site.name)
                                                                text="Assign" hidden=Vec::new() state version call=move || assign_site(c.clone(), s.clone()) /> }.into_any()
                                                        };
                                                        view! {
                                                            <tr>
                                                                <td>{site.name.clone()}</td>
                                                                <td>{site.required_role.clone().unwrap_or_else(|| "None".to_owned())}</td>
                                                                <td>{if site.assigned { "Assigned" } else { "Not assigned" }}</td>
                                                                <td class="actions">{button}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                    .into_any()
                                }}
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
pub fn ContactAccountsPage() -> impl IntoView {
    let id = contact_id();
    let query = use_query_map();
    let notice = move || query.read().get("notice").and_then(|n| accounts_api::notice_text(&n));
    let state = FormState::new();
    let version = RwSignal::new(0_u32);
    let info = Resource::new(move || (id(), version.get()), |(id, _)| user_accounts(id));
    view! {
        <Title text="Accounts" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &accounts_href(&id())),
                    Ok(info) => {
                        let contact = info.heading.contact_id.clone();
                        let name = info.heading.name.clone();
                        let (assigned, assignable) = (info.assigned, info.assignable);
                        view! {
                            <section class="panel wide">
                                <ContactTabs heading=info.heading current=ContactTab::Accounts />
                                {move || notice_view(notice())}
                                <FormAlert state />
                                <h2>"Assigned accounts"</h2>
                                {if assigned.is_empty() {
                                    view! { <p>{format!("{name} has no account of your company.")}</p> }.into_any()
                                } else {
                                    view! { <AssignedAccounts contact=contact.clone() list=assigned /> }.into_any()
                                }}
                                <h2>"Other accounts of your company"</h2>
                                {if assignable.is_empty() {
                                    view! { <p>"Every active account of your company is assigned to this user."</p> }.into_any()
                                } else {
                                    view! { <AssignableAccounts contact list=assignable state version /> }.into_any()
                                }}
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
fn AssignedAccounts(contact: String, list: Vec<AccountView>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Accounts assigned to this user"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Account number"</th>
                        <th scope="col">"Primary"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|a| {
                        let href = format!("{}/{}/remove", accounts_href(&contact), a.id);
                        let label = format!("Remove {}", a.account_number);
                        view! {
                            <tr>
                                <td>{a.account_number.clone()}</td>
                                <td>{if a.is_primary { "Primary" } else { "" }}</td>
                                <td>{if a.is_active { "Active" } else { "Inactive" }}</td>
                                <td class="actions">
                                    <a class="button button-secondary" href=href aria-label=label>"Remove"</a>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AssignableAccounts(
    contact: String,
    list: Vec<AccountView>,
    state: FormState,
    version: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Active accounts of your company you can assign"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Account number"</th>
                        <th scope="col">"Company primary"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|a| {
                        let (c, id) = (contact.clone(), a.id.clone());
                        let action = format!("{}/{}/assign", accounts_href(&c), id);
                        let label = format!("Assign {}", a.account_number);
                        view! {
                            <tr>
                                <td>{a.account_number.clone()}</td>
                                <td>{if a.is_primary { "Yes" } else { "" }}</td>
                                <td class="actions">
                                    <RowAction action label text="Assign" hidden=Vec::new() state version
                                        call=move || assign_account(c.clone(), id.clone()) />
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/admin/contacts/{id}/accounts/{account_id}/remove`: "Remove account N from NAME?", with a
/// warning (not an error) when it is the user's last account (ADM-6).
#[component]
pub fn RemoveAccountPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (p.get("id").unwrap_or_default(), p.get("account_id").unwrap_or_default())
    };
    let info = Resource::new(ids, |(id, account_id)| account_removal(id, account_id));
    view! {
        <Title text="Remove account" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => refusal(e, &accounts_href(&ids().0)),
                    Ok(info) => view! { <RemoveAccountForm info /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RemoveAccountForm(info: crate::api::admin::user_accounts::AccountRemovalInfo) -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let contact = info.heading.contact_id.clone();
    let name = info.heading.name.clone();
    let back = accounts_href(&contact);
    let action = format!("{back}/{}/remove", info.account_id);
    let (c, a) = (contact.clone(), info.account_id.clone());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (c, a, navigate) = (c.clone(), a.clone(), navigate.clone());
        state.submit(Ok(()), move || remove_account(c, a), move |next: String| navigate(&next, Default::default()));
    };
    view! {
        <section class="panel">
            <ContactTabs heading=info.heading current=ContactTab::Accounts />
            <h2>"Remove account"</h2>
            <p>{format!("Remove account {} from {name}?", info.account_number)}</p>
            {info.is_last.then(|| view! {
                <p class="warning" role="status">
                    {format!("{name} will have no account of your company left and cannot order for it until you assign one.")}
                </p>
            })}
            <form method="post" action=action on:submit=on_submit>
                <FormAlert state />
                <FormActions state label="Remove" progress="Removing…">
                    <a href=back>"Cancel"</a>
                </FormActions>
            </form>
        </section>
    }
}
