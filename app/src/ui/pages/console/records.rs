//! What the console's catalogue pages share (user types, approval definitions and groups,
//! roles, enrollments, sites): the list of records as a table whose last column opens a
//! record's editor, the link to a new one, the notice a save comes back with, and the little
//! conversions their forms need.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::console::user_types::ChoiceView;

/// One row of a [`RecordTable`]: its cells, and the record's name and editor.
pub struct RecordRow {
    pub cells: Vec<AnyView>,
    pub name: String,
    pub href: String,
}

/// A catalogue's records, one row each with an **Edit** link (named after the record for
/// screen readers), then the link to a new record. `columns` are the headings before "Actions".
#[component]
pub fn RecordTable(
    caption: &'static str,
    columns: &'static [&'static str],
    rows: Vec<RecordRow>,
    /// Said instead of the table when there are no records.
    empty: &'static str,
    new_href: String,
    new_label: &'static str,
) -> impl IntoView {
    let table = if rows.is_empty() {
        view! { <p>{empty}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="data">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead>
                        <tr>
                            {columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let label = format!("Edit {}", row.name);
                            view! {
                                <tr>
                                    {row.cells.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}
                                    <td class="actions">
                                        <a class="button button-secondary" href=row.href aria-label=label>"Edit"</a>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {table}
        <p><a class="button" href=new_href>{new_label}</a></p>
    }
}

/// A key shown as code in a table cell.
pub(crate) fn code(key: String) -> AnyView {
    view! { <code>{key}</code> }.into_any()
}

/// Plain text in a table cell.
pub(crate) fn text(text: impl Into<String>) -> AnyView {
    text.into().into_any()
}

pub(crate) fn notice_view(notice: Option<&'static str>) -> Option<AnyView> {
    notice.map(|n| view! { <p class="notice" role="status">{n}</p> }.into_any())
}

pub(crate) fn options(choices: Vec<ChoiceView>) -> Vec<(String, String)> {
    choices.into_iter().map(|c| (c.id, c.name)).collect()
}

pub(crate) fn yes_no(flag: bool) -> &'static str {
    if flag {
        "Yes"
    } else {
        "No"
    }
}

/// The id of the page's URL, `None` for `new`.
pub(crate) fn page_id() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").filter(|id| id != "new")
}
