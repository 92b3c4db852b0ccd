//! CON-2, approval groups (APR-3): `/console/approval-groups` (the list), and
//! `/console/approval-groups/{id}` (or `new`) with the group's name and scope, its members
//! (remove) and a new member by username. Every form posts without JavaScript too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use super::approval_setup::SetupHeading;
use super::records::{notice_view, text, RecordRow, RecordTable};
use crate::api::console::approval_setup::{
    add_group_member, approval_group, approval_groups, create_approval_group, notice_text, remove_group_member,
    update_approval_group, GroupView, GROUPS,
};
use crate::domain::approval_setup::{GroupForm, MemberForm, SCOPE_ALL, SCOPE_ORGANIZATION};
use crate::ui::components::{read_form, refusal, FormActions, FormAlert, FormState, RowAction, TextField};

#[component]
pub fn ApprovalGroupsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| approval_groups());
    view! {
        <Title text="Approval groups" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, GROUPS),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <SetupHeading title="Approval groups".into() current=GROUPS />
                            <p>"An approval group is a named set of approvers for one organization or for all (APR-3). Each member who holds Approval group requests sees the group's requests of their own company."</p>
                            <RecordTable caption="Approval groups by name" columns={&["Name", "Organizations", "Members", "Steps naming it"]}
                                rows={list.into_iter().map(|g| RecordRow {
                                    href: format!("{GROUPS}/{}", g.id),
                                    cells: vec![text(g.name.clone()), text(g.scope), text(g.members.to_string()), text(g.steps.to_string())],
                                    name: g.name,
                                }).collect()}
                                empty="There are no approval groups yet." new_href=format!("{GROUPS}/new") new_label="New approval group" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Posted {
    Group,
    NewMember,
    MemberRow,
}

fn posted_form(path: &str) -> Posted {
    if path.ends_with("/members") {
        Posted::NewMember
    } else if path.contains("/members/") {
        Posted::MemberRow
    } else {
        Posted::Group
    }
}

/// `/console/approval-groups/{id}` (and `new`), and the URLs its forms post to.
#[component]
pub fn ApprovalGroupPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0_u32);
    let info = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            if id.is_empty() || id == "new" {
                // The server decides who may open the form (SEC-5), as for every console page.
                approval_groups().await.map(|_| None)
            } else {
                approval_group(id).await.map(Some)
            }
        },
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{GROUPS}/{}", Some(id()).filter(|i| !i.is_empty()).unwrap_or_else(|| "new".into()));
                match info.await {
                    Err(e) => refusal(e, &here),
                    Ok(None) => view! {
                        <Title text="New approval group" />
                        <section class="panel">
                            <p class="breadcrumb"><a href=GROUPS>"Approval groups"</a></p>
                            <SetupHeading title="New approval group".into() current=GROUPS />
                            <GroupFormView group=None state=FormState::new() version />
                        </section>
                    }
                    .into_any(),
                    Ok(Some(group)) => {
                        let posted = posted_form(&use_location().pathname.get_untracked());
                        view! {
                            <Title text=group.form.name.clone() />
                            <section class="panel wide">
                                <p class="breadcrumb"><a href=GROUPS>"Approval groups"</a></p>
                                <SetupHeading title=group.form.name.clone() current=GROUPS />
                                {move || notice_view(notice())}
                                <p>{format!("Organizations: {}. Steps naming this group: {}.", group.scope, group.steps)}</p>
                                <h2>"Name and organizations"</h2>
                                <GroupFormView group=Some(group.clone()) state=FormState::posted_here(posted == Posted::Group) version />
                                <h2>"Members"</h2>
                                <Members group=group.clone() state=FormState::posted_here(posted == Posted::MemberRow) version />
                                <h2>"Add a member"</h2>
                                <MemberFormView id=group.id.clone() state=FormState::posted_here(posted == Posted::NewMember) version />
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
fn GroupFormView(group: Option<GroupView>, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let id = group.as_ref().map(|g| g.id.clone());
    let action = match &id {
        Some(id) => format!("{GROUPS}/{id}"),
        None => format!("{GROUPS}/new"),
    };
    let values = match group {
        Some(g) if !state.is_resubmission() => g.form,
        None if !state.is_resubmission() => GroupForm { scope: SCOPE_ALL.to_owned(), ..Default::default() },
        Some(_) | None => GroupForm {
            name: state.value("name"),
            scope: state.value("scope"),
            organization: state.value("organization"),
        },
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: GroupForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        let call = move || async move {
            match id {
                Some(id) => update_approval_group(id, form).await,
                None => create_approval_group(form).await,
            }
        };
        state.submit(checked, call, move |next: String| {
            version.update(|v| *v += 1);
            navigate(&next, Default::default());
        });
    };
    let scope_error = move || state.error_for("scope");
    let label = if action.ends_with("/new") { "Create" } else { "Save" };
    view! {
        <form class="group-form" method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Name" name="name" required=true value=values.name />
            <fieldset class="radios" class:field-invalid=move || scope_error().is_some()
                aria-describedby=move || scope_error().map(|_| "scope-error")>
                <legend>"Organizations"</legend>
                <div class="field field-checkbox">
                    <input type="radio" id="scope-all" name="scope" value=SCOPE_ALL checked=values.scope == SCOPE_ALL />
                    <label for="scope-all">"All organizations"</label>
                </div>
                <div class="field field-checkbox">
                    <input type="radio" id="scope-organization" name="scope" value=SCOPE_ORGANIZATION
                        checked=values.scope == SCOPE_ORGANIZATION />
                    <label for="scope-organization">"One organization"</label>
                </div>
                {move || scope_error().map(|m| view! { <p class="field-error" id="scope-error">{m}</p> })}
            </fieldset>
            <div class="organization-field">
                <TextField state label="Organization" name="organization" value=values.organization
                    hint="For one organization: its Registry ID (like R-7K4Q2M) or its exact name." />
            </div>
            <FormActions state label=label progress="Saving…">
                <a href=GROUPS>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
fn Members(group: GroupView, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let id = group.id.clone();
    let alert = view! {
        <div class="form-alert" role="alert" aria-live="assertive">
            {move || state.form_error.get().map(|m| view! { <p>{m}</p> })}
        </div>
    };
    if group.members.is_empty() {
        return view! { {alert} <p>"This group has no members yet."</p> }.into_any();
    }
    view! {
        {alert}
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Members of the group"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Username"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Company"</th>
                        <th scope="col">"Decides the group's requests"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {group.members.into_iter().map(|m| {
                        let (g, u) = (id.clone(), m.user_id.clone());
                        let decides = match (m.active, m.may_decide) {
                            (false, _) => "No: not active",
                            (true, true) => "Yes",
                            (true, false) => "No: lacks Approval group requests",
                        };
                        view! {
                            <tr>
                                <td>{m.username.clone()}</td>
                                <td>{m.name}</td>
                                <td>{m.company}</td>
                                <td>{decides}</td>
                                <td class="actions">
                                    <RowAction action=format!("{GROUPS}/{g}/members/{u}/remove") label=format!("Remove {}", m.username)
                                        text="Remove" hidden=Vec::new() state version call=move || remove_group_member(g.clone(), u.clone()) />
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

#[component]
fn MemberFormView(id: String, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let action = format!("{GROUPS}/{id}/members");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: MemberForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        state.submit(
            checked,
            move || add_group_member(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Username" name="username" required=true value=state.value("username")
                hint="A user of the group's organization (or of any company, for a group of all organizations), or a merchant admin." />
            <FormActions state label="Add member" progress="Adding…" />
        </form>
    }
    .into_any()
}
