//! CON-2, approval definitions (APR-1, APR-2): `/console/approval-definitions` (the list),
//! `/console/approval-definitions/new`, and `/console/approval-definitions/{id}` with its name,
//! its ordered steps (move up, move down, remove) and a new step. Every form posts without
//! JavaScript too; the URL a plain post failed at says which form it was.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use super::records::{code, notice_view, text, RecordRow, RecordTable};
use crate::api::console::approval_setup::{
    add_approval_step, approval_definition, approval_definitions, create_approval_definition, move_approval_step,
    notice_text, remove_approval_step, rename_approval_definition, DefinitionView, StepView, APPROVALS_SETUP_TABS,
    DEFINITIONS,
};
use crate::domain::approval_setup::{
    approver_kind_hint, approver_kind_label, DefinitionForm, DefinitionNameForm, StepForm, StepMove,
};
use crate::domain::ApproverKind;
use crate::ui::components::{
    read_form, refusal, ConsoleNav, FormActions, FormAlert, FormState, RowAction, SectionTabs, SelectField, TextField,
};

/// The console section these pages belong to.
const SECTION: &str = DEFINITIONS;

/// The heading of every page of the section: h1, the console's menu, the section's tabs.
#[component]
pub(crate) fn SetupHeading(title: String, current: &'static str) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <ConsoleNav current=SECTION />
        <SectionTabs label="Approvals setup" tabs=APPROVALS_SETUP_TABS current />
    }
}

#[component]
pub fn ApprovalDefinitionsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| approval_definitions());
    view! {
        <Title text="Approval definitions" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => refusal(e, DEFINITIONS),
                    Ok(list) => view! {
                        <section class="panel wide">
                            <SetupHeading title="Approval definitions".into() current=DEFINITIONS />
                            <p>"An approval definition is an ordered list of steps; every step must approve (APR-2). User types and enrollments name the definition their requests follow."</p>
                            <RecordTable caption="Approval definitions by key"
                                columns={&["Name", "Key", "Steps", "Used by", "Waiting requests"]}
                                rows={list.into_iter().map(|d| RecordRow {
                                    href: format!("{DEFINITIONS}/{}", d.id),
                                    cells: vec![
                                        text(d.name.clone()),
                                        code(d.key),
                                        text(d.steps.to_string()),
                                        text(d.used_by.to_string()),
                                        text(d.waiting.to_string()),
                                    ],
                                    name: d.name,
                                }).collect()}
                                empty="There are no approval definitions yet." new_href=format!("{DEFINITIONS}/new")
                                new_label="New approval definition" />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Which of the definition page's forms a failed plain post at `path` was.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Posted {
    Name,
    NewStep,
    StepRow,
}

fn posted_form(path: &str) -> Posted {
    if path.ends_with("/steps") {
        Posted::NewStep
    } else if path.contains("/steps/") {
        Posted::StepRow
    } else {
        Posted::Name
    }
}

/// `/console/approval-definitions/{id}` (and `new`), and the URLs its forms post to.
#[component]
pub fn ApprovalDefinitionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0_u32);
    let info = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            if id.is_empty() || id == "new" {
                // The server decides who may open the form (SEC-5), as for every console page.
                approval_definitions().await.map(|_| None)
            } else {
                approval_definition(id).await.map(Some)
            }
        },
    );
    let notice = move || query.read().get("notice").and_then(|n| notice_text(&n));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("{DEFINITIONS}/{}", Some(id()).filter(|i| !i.is_empty()).unwrap_or_else(|| "new".into()));
                match info.await {
                    Err(e) => refusal(e, &here),
                    Ok(None) => view! {
                        <Title text="New approval definition" />
                        <section class="panel">
                            <p class="breadcrumb"><a href=DEFINITIONS>"Approval definitions"</a></p>
                            <SetupHeading title="New approval definition".into() current=DEFINITIONS />
                            <NewDefinitionForm />
                        </section>
                    }
                    .into_any(),
                    Ok(Some(definition)) => view! {
                        <Title text=definition.name.clone() />
                        <section class="panel wide">
                            <p class="breadcrumb"><a href=DEFINITIONS>"Approval definitions"</a></p>
                            <SetupHeading title=definition.name.clone() current=DEFINITIONS />
                            {move || notice_view(notice())}
                            <DefinitionEditor definition version />
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewDefinitionForm() -> impl IntoView {
    let state = FormState::new();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: DefinitionForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let navigate = navigate.clone();
        state.submit(
            checked,
            move || create_approval_definition(form),
            move |next: String| navigate(&next, Default::default()),
        );
    };
    view! {
        <form method="post" action=format!("{DEFINITIONS}/new") on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Key" name="key" required=true value=state.value("key")
                hint="2 to 50 lower-case letters, digits and _, starting with a letter. It never changes." />
            <TextField state label="Name" name="name" required=true value=state.value("name") />
            <FormActions state label="Create" progress="Creating…">
                <a href=DEFINITIONS>"Cancel"</a>
            </FormActions>
        </form>
    }
    .into_any()
}

#[component]
fn DefinitionEditor(definition: DefinitionView, version: RwSignal<u32>) -> impl IntoView {
    let posted = posted_form(&use_location().pathname.get_untracked());
    let waiting_here: i64 = definition.steps.iter().map(|s| s.waiting).sum();
    let earlier = definition.waiting_under_earlier_versions;
    let used_by = if definition.used_by.is_empty() {
        view! { <p>"No user type or enrollment uses this definition yet."</p> }.into_any()
    } else {
        view! {
            <p>"Used by:"</p>
            <ul>{definition.used_by.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ul>
        }
        .into_any()
    };
    view! {
        <p>"Key: " <code>{definition.key.clone()}</code></p>
        {used_by}
        <p class="field-hint waiting-rule">
            {format!(
                "Changes to the steps apply to requests submitted from now on. Requests already waiting keep the steps they were submitted with: {waiting_here} waiting under these steps, {earlier} under earlier versions of them."
            )}
        </p>
        <h2>"Name"</h2>
        <NameForm id=definition.id.clone() name=definition.name.clone() state=FormState::posted_here(posted == Posted::Name) version />
        <h2>"Steps"</h2>
        <StepsTable id=definition.id.clone() steps=definition.steps.clone() state=FormState::posted_here(posted == Posted::StepRow) version />
        <h2>"Add a step"</h2>
        <StepFormView definition state=FormState::posted_here(posted == Posted::NewStep) version />
    }
    .into_any()
}

#[component]
fn NameForm(id: String, name: String, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let action = format!("{DEFINITIONS}/{id}");
    let value = if state.is_resubmission() { state.value("name") } else { name };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: DefinitionNameForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        state.submit(
            checked,
            move || rename_approval_definition(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                navigate(&next, Default::default());
            },
        );
    };
    view! {
        <form method="post" action=action on:submit=on_submit novalidate>
            <FormAlert state />
            <TextField state label="Name" name="name" required=true value />
            <FormActions state label="Save name" progress="Saving…" />
        </form>
    }
    .into_any()
}

/// A failed row action's messages (there are no fields to show them beside).
#[component]
fn RowAlert(state: FormState) -> impl IntoView {
    let messages = move || {
        let mut all: Vec<String> = state.errors.with(|e| e.iter().map(|e| e.message.clone()).collect());
        all.extend(state.form_error.get());
        all
    };
    view! {
        <div class="form-alert" role="alert" aria-live="assertive">
            {move || messages().into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
        </div>
    }
}

fn approver_text(step: &StepView) -> String {
    match (&step.kind, &step.approver) {
        (ApproverKind::User | ApproverKind::Group, Some(who)) => format!("{}: {who}", approver_kind_label(step.kind)),
        (ApproverKind::User | ApproverKind::Group, None) => format!("{}: (removed)", approver_kind_label(step.kind)),
        (ApproverKind::PrimaryUsers | ApproverKind::Universal, _) => approver_kind_label(step.kind).to_owned(),
    }
}

#[component]
fn StepsTable(id: String, steps: Vec<StepView>, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    if steps.is_empty() {
        return view! {
            <RowAlert state />
            <p>"This definition has no steps yet: its requests would wait for the merchant's admins (the universal approver). Add a step below."</p>
        }
        .into_any();
    }
    let count = steps.len() as i64;
    view! {
        <RowAlert state />
        <div class="table-scroll">
            <table class="data">
                <caption class="visually-hidden">"Steps in order: each must approve"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Step"</th>
                        <th scope="col">"Approver"</th>
                        <th scope="col">"Waiting requests"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {steps.into_iter().map(|step| {
                        let base = format!("{DEFINITIONS}/{id}/steps/{}", step.id);
                        let name = format!("step {}", step.position);
                        let action = |direction: StepMove, text: &'static str, path: &str| {
                            let (d, s) = (id.clone(), step.id.clone());
                            view! {
                                <RowAction action=format!("{base}/{path}") label=format!("{text} {name}") text hidden=Vec::new() state version
                                    call=move || move_approval_step(d.clone(), s.clone(), direction) />
                            }
                        };
                        let up = (step.position > 1).then(|| action(StepMove::Up, "Move up", "up"));
                        let down = (step.position < count).then(|| action(StepMove::Down, "Move down", "down"));
                        let (d, s) = (id.clone(), step.id.clone());
                        let remove = view! {
                            <RowAction action=format!("{base}/remove") label=format!("Remove {name}") text="Remove" hidden=Vec::new() state version
                                call=move || remove_approval_step(d.clone(), s.clone()) />
                        };
                        view! {
                            <tr>
                                <td>{format!("{} of {count}", step.position)}</td>
                                <td>{approver_text(&step)}</td>
                                <td>{step.waiting}</td>
                                <td class="actions">{up}" "{down}" "{remove}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

const KINDS: [ApproverKind; 4] =
    [ApproverKind::PrimaryUsers, ApproverKind::User, ApproverKind::Group, ApproverKind::Universal];

#[component]
fn StepFormView(definition: DefinitionView, state: FormState, version: RwSignal<u32>) -> impl IntoView {
    let navigate = use_navigate();
    let id = definition.id.clone();
    let action = format!("{DEFINITIONS}/{id}/steps");
    let values = if state.is_resubmission() {
        StepForm {
            approver_kind: state.value("approver_kind"),
            username: state.value("username"),
            group_id: state.value("group_id"),
        }
    } else {
        StepForm { approver_kind: ApproverKind::PrimaryUsers.to_string(), ..Default::default() }
    };
    // After a step is added the form starts again from its defaults, as after a page load.
    let form_element = NodeRef::<leptos::html::Form>::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form: StepForm = read_form(&ev);
        let checked = form.validate().map(|_| ());
        let (id, navigate) = (id.clone(), navigate.clone());
        state.submit(
            checked,
            move || add_approval_step(id, form),
            move |next: String| {
                version.update(|v| *v += 1);
                if let Some(form) = form_element.get_untracked() {
                    form.reset();
                }
                navigate(&next, Default::default());
            },
        );
    };
    let groups: Vec<(String, String)> = std::iter::once((String::new(), "Choose a group".to_owned()))
        .chain(definition.groups.into_iter().map(|g| (g.id, g.label)))
        .collect();
    let kind_error = move || state.error_for("approver_kind");
    let chosen = values.approver_kind.clone();
    view! {
        <form class="step-form" method="post" action=action on:submit=on_submit novalidate node_ref=form_element>
            <FormAlert state />
            <fieldset class="radios" class:field-invalid=move || kind_error().is_some()
                aria-describedby=move || kind_error().map(|_| "approver_kind-error")>
                <legend>"Who approves this step?"</legend>
                {KINDS.into_iter().map(|kind| {
                    let value = kind.to_string();
                    let input_id = format!("approver_kind-{value}");
                    let hint_id = format!("{input_id}-hint");
                    let checked = chosen == value;
                    view! {
                        <div class="field field-checkbox">
                            <input type="radio" id=input_id.clone() name="approver_kind" value=value checked=checked
                                aria-describedby=hint_id.clone() />
                            <div>
                                <label for=input_id>{approver_kind_label(kind)}</label>
                                <p class="field-hint" id=hint_id>{approver_kind_hint(kind)}</p>
                            </div>
                        </div>
                    }
                }).collect_view()}
                {move || kind_error().map(|m| view! { <p class="field-error" id="approver_kind-error">{m}</p> })}
            </fieldset>
            <div class="approver-user">
                <TextField state label="Username" name="username" value=values.username
                    hint="For a named user: a merchant admin or a user holding Pending approvals." />
            </div>
            <div class="approver-group">
                <SelectField state label="Approval group" name="group_id" options=groups selected=values.group_id />
                <p class="field-hint"><a href="/console/approval-groups">"Manage approval groups"</a></p>
            </div>
            <FormActions state label="Add step" progress="Adding…" />
        </form>
    }
    .into_any()
}
