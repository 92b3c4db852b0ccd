//! HTTP test support: the real application spawned per test on a fresh database (in-memory
//! SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set — `app::testing`), and a
//! reqwest client with a cookie jar that sends this site's `Origin` on every POST (SEC-3).
#![allow(dead_code, unused_imports)] // each test file uses its own part of this module

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use app::backend::{AppState, Clock, SystemClock, TestClock};
use app::testing::{test_databases, TestDb};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use reqwest::{header, Client, Response, StatusCode};
use server::startup::SESSION_COOKIE;
use server::{Application, Config};
use tokio::sync::{Mutex, MutexGuard};

pub use app::testing::{count_rows, individual_fields, GOOD_PASSWORD};

/// A running application on its own database, and a browser-like client for it.
pub struct TestApp {
    pub label: &'static str,
    pub port: u16,
    /// The metrics listener's port, when the test turned metrics on.
    pub metrics_port: Option<u16>,
    pub state: AppState,
    pub clock: TestClock,
    /// Cookie jar on, redirects off: tests look at each 303 and its `Location`.
    pub client: Client,
    pub jar: Arc<Jar>,
    server: tokio::task::JoinHandle<()>,
    _mail_dir: tempfile::TempDir,
    // The database outlives the server that uses it, and the gate outlives both.
    _db: TestDb,
    _gate: MutexGuard<'static, ()>,
}

/// One application at a time per test binary. Building an application generates Leptos' route
/// list, which sets a process-global flag that parks forever any `Resource` first polled
/// meanwhile, even in another application's render (leptos-rs/leptos#4773): a page of a test
/// running beside another test's start-up would hang. A test must drop its `TestApp` before
/// spawning another one, or it waits here forever.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::const_new(());

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A client like a fresh browser: its own cookie jar, no automatic redirects.
pub fn browser() -> (Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    // What a browser asks for when it follows a link or posts a form (Leptos answers an SSR
    // redirect with 302 only to requests that accept HTML).
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ACCEPT, header::HeaderValue::from_static("text/html,application/xhtml+xml,*/*;q=0.8"));
    let client = Client::builder()
        .default_headers(headers)
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest client");
    (client, jar)
}

/// Builds and spawns the application on `db`; `adjust` may change the test configuration.
pub async fn spawn_app_with(db: TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let gate = ONE_APP_AT_A_TIME.lock().await;
    let mail_dir = tempfile::tempdir().expect("mail dir");
    let mut config = Config::for_tests(&db.url, mail_dir.path().to_path_buf());
    adjust(&mut config);
    // Near the real time, so session expiry (wall clock) and the app's clock agree.
    let clock = TestClock::at(SystemClock.now_ms());
    let application = Application::build_with_clock(config, Arc::new(clock.clone()))
        .await
        .unwrap_or_else(|e| panic!("[{}] the application did not build: {e:#}", db.label));
    let port = application.port();
    let metrics_port = application.metrics_port();
    let state = application.state().clone();
    let server = application.spawn();
    let (client, jar) = browser();
    let app = TestApp {
        label: db.label,
        port,
        metrics_port,
        state,
        clock,
        client,
        jar,
        server,
        _mail_dir: mail_dir,
        _db: db,
        _gate: gate,
    };
    app.wait_until_ready().await;
    app
}

pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// Runs `scenario` against a freshly spawned application on every test database.
pub async fn for_each_app<F, Fut>(mut scenario: F)
where
    F: FnMut(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for db in test_databases().await {
        scenario(spawn_app(db).await).await;
    }
}

impl TestApp {
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Polls `/healthz` (bounded) so the first request of a test never races the spawn.
    async fn wait_until_ready(&self) {
        for _ in 0..200 {
            if let Ok(response) = self.client.get(self.url("/healthz")).send().await {
                if response.status() == StatusCode::OK {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("[{}] the application did not answer /healthz within 5 s", self.label);
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// GET and the body as text, asserting `200 OK`.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "[{}] GET {path}", self.label);
        response.text().await.expect("body")
    }

    /// A form post as a browser sends it from this site.
    pub async fn post_form<T: serde::Serialize + ?Sized>(&self, path: &str, form: &T) -> Response {
        self.client.post(self.url(path)).header(header::ORIGIN, self.origin()).form(form).send().await.expect("POST")
    }

    /// Registers Ann Lee's individual form with `username` through the plain HTML post.
    pub async fn register(&self, username: &str) -> Response {
        self.post_form("/register/individual", &individual_fields(username)).await
    }

    /// Registers `username` as an individual from a separate browser, so this app's own client
    /// starts signed out.
    pub async fn registered_elsewhere(&self, username: &str) {
        let (client, _jar) = browser();
        let response = client
            .post(self.url("/register/individual"))
            .header(header::ORIGIN, self.origin())
            .form(&individual_fields(username))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] registration", self.label);
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.post_form("/login", &[("username", username), ("password", password)]).await
    }

    /// The value of this client's session cookie, if it has one.
    pub fn session_cookie(&self) -> Option<String> {
        session_cookie_in(&self.jar, &self.origin())
    }

    pub async fn count(&self, table: &str) -> i64 {
        count_rows(&self.state.db, table).await
    }

    /// Row counts of the tables a state-changing request could write to.
    pub async fn counts(&self) -> Vec<(&'static str, i64)> {
        let mut counts = Vec::new();
        for table in ["persons", "users", "sessions", "outbox", "audit_log", "sign_in_failures"] {
            counts.push((table, self.count(table).await));
        }
        counts
    }
}

/// A fresh browser signed in as `username` (asserting the sign-in's `303`).
pub async fn signed_in(app: &TestApp, username: &str, password: &str) -> Client {
    let (client, _jar) = browser();
    let response = post(app, &client, "/login", &[("username", username), ("password", password)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] {username} signs in", app.label);
    client
}

/// A fresh browser signed in as the merchant's administrator (made ready to sign in first).
pub async fn merchant_admin(app: &TestApp) -> Client {
    app::testing::ready_merchant_admin(&app.state).await;
    signed_in(app, "admin", app::testing::ADMIN_PASSWORD).await
}

/// A form post from `client` as a browser sends it from this site.
pub async fn post(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
    client.post(app.url(path)).header(header::ORIGIN, app.origin()).form(form).send().await.expect("POST")
}

/// [`post`] with the fields of a whole form (built by `app::testing`'s `…_fields`).
pub async fn post_fields(app: &TestApp, client: &Client, path: &str, form: &HashMap<String, String>) -> Response {
    client.post(app.url(path)).header(header::ORIGIN, app.origin()).form(form).send().await.expect("POST")
}

pub async fn get(app: &TestApp, client: &Client, path: &str) -> Response {
    client.get(app.url(path)).send().await.expect("GET")
}

/// GET from `client` and the body as text, asserting `200 OK` (the page's text in the message).
pub async fn page(app: &TestApp, client: &Client, path: &str) -> String {
    let response = get(app, client, path).await;
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "[{}] GET {path}: {}", app.label, text_of(&body));
    body
}

/// The session cookie's value in `jar` for `origin`.
pub fn session_cookie_in(jar: &Jar, origin: &str) -> Option<String> {
    let url: reqwest::Url = origin.parse().expect("origin URL");
    let header = jar.cookies(&url)?;
    header.to_str().ok()?.split(';').map(str::trim).find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == SESSION_COOKIE).then(|| value.to_owned())
    })
}

/// A response's `Location` header.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location header in a {} response", response.status()))
        .to_owned()
}

pub fn header_value(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The text of the page's `role="alert"` element (tags removed, whitespace collapsed).
pub fn alert_text(html: &str) -> String {
    let start = html.find("role=\"alert\"").expect("an element with role=\"alert\"");
    let open_end = start + html[start..].find('>').expect("end of the alert's tag") + 1;
    let close = open_end + html[open_end..].find("</div>").unwrap_or(html.len() - open_end);
    text_of(&html[open_end..close])
}

/// Text with tags and Leptos' hydration comments removed and whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Form fields as a map, for JSON bodies.
pub fn as_map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A `multipart/form-data` body as a browser sends the customer import's form (CON-7): the file
/// as `file` and the pressed button as `action`. Answers the content type and the body.
pub fn multipart(file: &str, action: &str) -> (String, String) {
    const BOUNDARY: &str = "gatehouse-test-boundary";
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"customers.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n\
         {action}\r\n--{BOUNDARY}--\r\n"
    );
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The customer import's plain post from `client`, as a browser without JavaScript sends it.
pub async fn upload(app: &TestApp, client: &Client, file: &str, action: &str) -> Response {
    let (content_type, body) = multipart(file, action);
    (client.post(app.url("/console/import")).header(header::ORIGIN, app.origin()))
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("POST")
}
