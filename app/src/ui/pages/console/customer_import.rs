//! CON-7 (OAA-6): `/console/import` — upload a CSV of customers, preview what it would do, then
//! import it. A plain multipart form (it works without JavaScript); the server renders this page
//! with the outcome. While a file uploads and imports, the page shows a progress bar.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::console::customer_import::{import_columns, ImportOutcome, IMPORT_PAGE};
use crate::domain::customer_import::{ImportReport, RecordKind};
use crate::ui::components::{refusal, ConsoleNav};

#[component]
pub fn CustomerImportPage() -> impl IntoView {
    let columns = Resource::new(|| (), |_| import_columns());
    // The outcome exists only while the server renders a post's answer; the resource carries
    // it into the browser so hydration shows the same page.
    let posted = use_context::<ImportOutcome>();
    let outcome = Resource::new(
        || (),
        move |_| {
            let posted = posted.clone();
            async move { posted }
        },
    );
    view! {
        <Title text="Import customers" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match columns.await {
                    Err(e) => refusal(e, IMPORT_PAGE),
                    Ok(columns) => {
                        let outcome = outcome.await;
                        view! {
                            <section class="panel">
                                <h1>"Import customers"</h1>
                                <ConsoleNav current=IMPORT_PAGE />
                                {outcome.map(|ImportOutcome(report)| view! { <ImportResult report /> })}
                                <UploadForm columns />
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
fn UploadForm(columns: Vec<String>) -> impl IntoView {
    // The upload's progress line is the browser half's.
    crate::ui::page_scripts::want_page_script();
    let uploading = RwSignal::new(false);
    view! {
        <form
            method="post"
            action=IMPORT_PAGE
            enctype="multipart/form-data"
            on:submit=move |_| uploading.set(true)
        >
            <div class="field">
                <label for="file">"CSV file"</label>
                <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="file-hint" />
                <p class="field-hint" id="file-hint">
                    "One row per record; the record column says which kind: person, organization, contact, account or order. "
                    "Columns: " {columns.join(", ")} ". "
                    <a href="/customer-import-sample.csv" download>"Download the sample file"</a>
                    "."
                </p>
            </div>
            <div class="form-actions">
                <button type="submit" name="action" value="preview" class="button button-secondary">"Preview"</button>
                <button type="submit" name="action" value="commit" class="button">"Import"</button>
            </div>
            <Show when=move || uploading.get()>
                <p role="status">
                    <label for="import-progress">"Uploading and checking the file…"</label>
                    " "
                    <progress id="import-progress"></progress>
                </p>
            </Show>
        </form>
    }
}

/// "1 new record", "7 new records".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[component]
fn ImportResult(report: ImportReport) -> impl IntoView {
    let summary = match (report.committed, report.bad_total, report.new_rows()) {
        (true, _, 0) => "Nothing new: every row was imported before.".to_owned(),
        (true, _, n) => format!("Imported {}.", count(n, "new record")),
        (false, 0, n) => format!("Preview: {} would be imported. Nothing was changed yet.", count(n, "new record")),
        (false, bad, _) => {
            format!("{}: nothing was imported. Correct the file and upload it again.", count(bad, "bad row"))
        }
    };
    let heading = if report.committed { "Import result" } else { "Preview" };
    let counts = report
        .counts
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{kind_label(c.kind)}</th>
                    <td>{c.new}</td>
                    <td>{c.unchanged}</td>
                </tr>
            }
        })
        .collect_view();
    let more = report.bad_total.saturating_sub(report.bad_rows.len());
    let bad_rows = (!report.bad_rows.is_empty()).then(|| {
        view! {
            <div class="table-scroll">
                <table class="data" id="bad-rows">
                    <caption>"Bad rows"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Reason"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report
                            .bad_rows
                            .into_iter()
                            .map(|b| view! { <tr><td>{b.line}</td><td>{b.reason}</td></tr> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p>{format!("And {more} more bad rows.")}</p> })}
        }
    });
    // A refused file is an error (styled and announced as one); a preview or result is news.
    let message = if report.bad_total > 0 {
        view! { <div class="form-alert" role="alert"><p>{summary}</p></div> }.into_any()
    } else {
        view! { <p role="status" class="notice">{summary}</p> }.into_any()
    };
    view! {
        <section aria-labelledby="import-result">
            <h2 id="import-result">{heading}</h2>
            {message}
            <div class="table-scroll">
                <table class="data" id="import-counts">
                    <caption>"Rows by kind"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"New"</th>
                            <th scope="col">"Unchanged"</th>
                        </tr>
                    </thead>
                    <tbody>{counts}</tbody>
                </table>
            </div>
            {bad_rows}
        </section>
    }
}

fn kind_label(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Person => "Persons",
        RecordKind::Organization => "Organizations",
        RecordKind::Contact => "Contacts",
        RecordKind::Account => "Accounts",
        RecordKind::Order => "Orders",
    }
}
