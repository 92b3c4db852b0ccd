//! The harness of the SEC-5 matrices: calls written once with `{placeholders}` for record ids,
//! sent as a browser would (page, plain post, server function with a form or a JSON body), a
//! refusal test, and a snapshot of the rows a refused call must not have changed.

use app::testing::strings;
use reqwest::{header, Client, StatusCode};

use crate::common::TestApp;

/// One request of a matrix; paths, fields and bodies may hold `{placeholders}`.
#[derive(Debug, Clone, Copy)]
pub enum Call {
    Page(&'static str),
    Post(&'static str, &'static [(&'static str, &'static str)]),
    /// A server function (`/rpc/…`) with a form body.
    Rpc(&'static str, &'static [(&'static str, &'static str)]),
    /// A server function with a JSON body.
    Json(&'static str, &'static str),
    /// A multipart upload of a file (`file`) with the `action` button (CON-7's import).
    Upload(&'static str, &'static str, &'static str),
}

impl Call {
    /// Whether any part of the call names a record.
    pub fn takes_ids(self) -> bool {
        match self {
            Call::Page(path) => path.contains('{'),
            Call::Post(path, fields) => path.contains('{') || fields.iter().any(|(_, v)| v.contains('{')),
            Call::Rpc(_, fields) => fields.iter().any(|(_, v)| v.contains('{')),
            Call::Json(_, body) => body.contains("\"{"),
            Call::Upload(path, ..) => path.contains('{'),
        }
    }
}

/// The values of the placeholders: `("{contact}", id)`, …
#[derive(Debug, Clone, Default)]
pub struct Ids(Vec<(&'static str, String)>);

impl Ids {
    pub fn new(pairs: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        Ids(pairs.into_iter().collect())
    }

    pub fn fill(&self, template: &str) -> String {
        self.0.iter().fold(template.to_owned(), |text, (placeholder, value)| text.replace(placeholder, value))
    }
}

/// What came back: status, `Location` and body.
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

impl Answer {
    /// A refusal: 401/403/404, or (not signed in) a redirect to the sign-in page.
    pub fn refused(&self) -> bool {
        matches!(self.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
            || (self.status.is_redirection() && self.location.starts_with("/login"))
    }
}

pub async fn send(app: &TestApp, client: &Client, call: Call, ids: &Ids) -> Answer {
    let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), ids.fill(v))).collect()
    };
    let rpc = |endpoint: &str| {
        client
            .post(app.url(&format!("/rpc/{endpoint}")))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
    };
    let response = match call {
        Call::Page(path) => client.get(app.url(&ids.fill(path))).send().await,
        Call::Post(path, fields) => {
            client.post(app.url(&ids.fill(path))).header(header::ORIGIN, app.origin()).form(&form(fields)).send().await
        }
        Call::Rpc(endpoint, fields) => rpc(endpoint).form(&form(fields)).send().await,
        Call::Json(endpoint, body) => {
            rpc(endpoint).header(header::CONTENT_TYPE, "application/json").body(ids.fill(body)).send().await
        }
        Call::Upload(path, file, action) => {
            let (content_type, body) = crate::common::multipart(file, action);
            client
                .post(app.url(path))
                .header(header::ORIGIN, app.origin())
                .header(header::CONTENT_TYPE, content_type)
                .body(body)
                .send()
                .await
        }
    }
    .expect("request");
    let status = response.status();
    let location =
        response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    Answer { status, location, body: response.text().await.unwrap_or_default() }
}

/// The named columns of every row of each `(table, "column, column")`, as text.
pub async fn snapshot(app: &TestApp, tables: &[(&'static str, &'static str)]) -> Vec<(&'static str, Vec<String>)> {
    let mut all = Vec::new();
    for (table, columns) in tables {
        let text = columns
            .split(", ")
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        all.push((*table, strings(&app.state, &format!("SELECT {text} FROM {table} ORDER BY 1"), &[]).await));
    }
    all
}
