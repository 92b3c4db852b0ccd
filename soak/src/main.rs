//! `make soak`'s load (issue 11): goose users walking Gatehouse's real journeys through the
//! plain HTML form posts, as a browser without JavaScript does. Every journey step the server
//! acknowledged is appended to `acks.tsv` (the checks afterwards look for it in the database and
//! its e-mail at the SMTP sink); every 5xx is appended to `fivexx.tsv` with its time.
//!
//! goose's own options choose the load (`--host`, `--users`, `--hatch-rate`, `--run-time`,
//! `--report-file`); the environment says where to write and what the site is:
//!   SOAK_OUT (directory, required)   SOAK_RUN (username prefix, unique per run)
//!   SOAK_LINKS (where the SMTP sink leaves set-password links, one file per recipient)
//!   SOAK_ORIGIN (the site's public origin, sent as `Origin`; default the host)
//!   SOAK_RESET_WAIT (seconds to wait for a set-password e-mail; default 30)

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use goose::prelude::*;
use rand::Rng as _;
use reqwest::header::{self, HeaderMap, HeaderValue};

const PASSWORD: &str = "copper kettle harbor 7";
const NEW_PASSWORD: &str = "violet anchor trumpet 42";

struct Settings {
    out: PathBuf,
    run: String,
    links: PathBuf,
    origin: Option<String>,
    reset_wait: Duration,
}

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let out = PathBuf::from(var("SOAK_OUT").expect("SOAK_OUT: a directory for the run's records"));
        Settings {
            links: var("SOAK_LINKS").map(PathBuf::from).unwrap_or_else(|| out.join("links")),
            out,
            run: var("SOAK_RUN").unwrap_or_else(|| format!("r{}", now_ms() % 1_000_000)),
            origin: var("SOAK_ORIGIN"),
            reset_wait: Duration::from_secs(var("SOAK_RESET_WAIT").and_then(|s| s.parse().ok()).unwrap_or(30)),
        }
    })
}

fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

/// Appends one tab-separated line to a record file of the run (one writer at a time).
fn record(file: &str, fields: &[&str]) {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let path = settings().out.join(file);
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).expect("record file");
    let mut line = now_ms().to_string();
    for field in fields {
        line.push('\t');
        line.push_str(field);
    }
    line.push('\n');
    f.write_all(line.as_bytes()).expect("record written");
}

/// A journey step the server acknowledged: `kind`, the username, its e-mail, and a detail.
fn ack(kind: &str, username: &str, email: &str, detail: &str) {
    record("acks.tsv", &[kind, username, email, detail]);
}

fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}-{}-{}", settings().run, NEXT.fetch_add(1, Ordering::Relaxed))
}

fn email_of(username: &str) -> String {
    format!("{username}@soak.example")
}

/// A person's pause between two pages.
async fn think() {
    let ms = rand::rng().random_range(300..1500);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

fn failed(what: &str, detail: impl std::fmt::Display) -> Box<TransactionError> {
    Box::new(TransactionError::Custom(format!("{what}: {detail}")))
}

/// A response: its status, `Location` and body; a 5xx is recorded before anything else.
struct Page {
    status: u16,
    location: String,
    body: String,
}

/// A page's text: tags dropped, whitespace collapsed (for the 5xx record).
fn text_of(html: &str) -> String {
    let body = html.find("<main").map(|i| &html[i..]).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn send(user: &mut GooseUser, name: &str, request: GooseRequest<'_>) -> Result<Page, Box<TransactionError>> {
    let goose = user.request(request).await?;
    let response = goose.response.map_err(|e| failed(name, e))?;
    let status = response.status().as_u16();
    let reference = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let location =
        response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = response.text().await.map_err(|e| failed(name, e))?;
    if status >= 500 {
        // A clear error names the request's reference code (the log has the detail).
        let clear = if reference != "-" && body.contains(&reference) { "clear" } else { "unclear" };
        let excerpt: String = text_of(&body).chars().take(300).collect();
        record("fivexx.tsv", &[name, &status.to_string(), &reference, &excerpt, clear]);
    }
    Ok(Page { status, location, body })
}

async fn get(user: &mut GooseUser, name: &str, path: &str, expect: u16) -> Result<Page, Box<TransactionError>> {
    let request = GooseRequest::builder().name(name).path(path).expect_status_code(expect).build();
    let page = send(user, name, request).await?;
    if page.status != expect {
        return Err(failed(name, format!("{path} answered {}", page.status)));
    }
    Ok(page)
}

async fn post(
    user: &mut GooseUser,
    name: &str,
    path: &str,
    form: &[(&str, &str)],
    expect: u16,
) -> Result<Page, Box<TransactionError>> {
    let builder = user.get_request_builder(&GooseMethod::Post, path)?.form(form);
    let request = GooseRequest::builder()
        .name(name)
        .method(GooseMethod::Post)
        .set_request_builder(builder)
        .expect_status_code(expect)
        .build();
    let page = send(user, name, request).await?;
    if page.status != expect {
        return Err(failed(name, format!("{path} answered {} (Location {:?})", page.status, page.location)));
    }
    Ok(page)
}

/// Each journey is a fresh browser: its own cookies, redirects not followed (each 303 is looked at), and
/// this site's `Origin` on every request (SEC-3).
async fn browser(user: &mut GooseUser) -> TransactionResult {
    let origin = match &settings().origin {
        Some(origin) => origin.clone(),
        None => user.base_url.as_str().trim_end_matches('/').to_owned(),
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static("text/html,application/xhtml+xml,*/*;q=0.8"));
    headers.insert(header::ORIGIN, HeaderValue::from_str(&origin).map_err(|e| failed("origin", e))?);
    let builder = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(Duration::from_secs(60));
    user.set_client_builder(builder).await?;
    Ok(())
}

fn person_form<'a>(first: &'a str, username: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", first),
        ("last_name", "Soak"),
        ("email", email),
        ("phone", ""),
        ("username", username),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]
}

async fn sign_in(user: &mut GooseUser, username: &str, password: &str) -> TransactionResult {
    post(user, "sign in", "/login", &[("username", username), ("password", password)], 303).await?;
    Ok(())
}

async fn sign_out(user: &mut GooseUser) -> TransactionResult {
    post(user, "sign out", "/logout", &[], 303).await?;
    Ok(())
}

/// The set-password link the SMTP sink saw for `email` (LOG-4), waiting for it to arrive.
async fn reset_link(email: &str) -> Option<String> {
    let path = settings().links.join(email);
    let deadline = std::time::Instant::now() + settings().reset_wait;
    while std::time::Instant::now() < deadline {
        if let Ok(link) = tokio::fs::read_to_string(&path).await {
            if !link.trim().is_empty() {
                return Some(link.trim().to_owned());
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    None
}

/// Registers as an individual, signs out, forgets the password, sets a new one from the
/// e-mail's link and signs in with it.
async fn individual_journey(user: &mut GooseUser) -> TransactionResult {
    browser(user).await?;
    let username = unique("ind");
    let email = email_of(&username);
    get(user, "register form", "/register/individual", 200).await?;
    think().await;
    post(user, "register individual", "/register/individual", &person_form("Ida", &username, &email), 303).await?;
    ack("individual", &username, &email, "");
    think().await;
    get(user, "home signed in", "/", 200).await?;
    sign_out(user).await?;
    think().await;
    get(user, "forgot form", "/forgot", 200).await?;
    post(user, "forgot", "/forgot", &[("username", &username), ("email", "")], 303).await?;
    ack("forgot", &username, &email, "");
    let Some(link) = reset_link(&email).await else {
        record("skipped.tsv", &["reset", &username, "no set-password e-mail in time"]);
        return Ok(());
    };
    get(user, "reset form", &link, 200).await?;
    think().await;
    let form = [("new_password", NEW_PASSWORD), ("new_password_confirm", NEW_PASSWORD)];
    post(user, "reset password", &link, &form, 303).await?;
    ack("reset", &username, &email, "");
    think().await;
    sign_in(user, &username, NEW_PASSWORD).await?;
    get(user, "home signed in", "/", 200).await?;
    sign_out(user).await
}

/// The Registry ID on the company's confirmation page (REG-6).
fn registry_id(html: &str) -> Option<String> {
    let marker = "class=\"registry-id\">";
    let start = html.find(marker)? + marker.len();
    let end = start + html[start..].find('<')?;
    Some(html[start..end].trim().to_owned())
}

/// The request ID in the Pending Approvals row that names `username`.
fn request_id(html: &str, username: &str) -> Option<String> {
    let row = html.split("<tr").find(|row| row.contains(&format!(">{username}<")))?;
    let base = "href=\"/admin/approvals/";
    let start = row.find(base)? + base.len();
    let end = start + row[start..].find("/approve\"")?;
    Some(row[start..end].to_owned())
}

/// A company registers; its primary user creates a contact with a login; a staff member joins
/// with the Registry ID; the primary user approves; the staff member signs in.
async fn company_journey(user: &mut GooseUser) -> TransactionResult {
    browser(user).await?;
    let primary = unique("pri");
    let primary_email = email_of(&primary);
    let company = format!("Soak Works {primary}");
    get(user, "register form", "/register/company_primary", 200).await?;
    think().await;
    let mut form = person_form("Pat", &primary, &primary_email);
    form.extend([
        ("company_name", company.as_str()),
        ("address_line1", "1 Main St"),
        ("city", "Springfield"),
        ("postal_code", "12345"),
        ("country", "US"),
    ]);
    let registered = post(user, "register company", "/register/company_primary", &form, 303).await?;
    ack("company", &primary, &primary_email, &company);
    let complete = get(user, "registration complete", &registered.location, 200).await?;
    let registry = registry_id(&complete.body).ok_or_else(|| failed("registration complete", "no Registry ID"))?;
    think().await;

    let contact = unique("con");
    let contact_email = email_of(&contact);
    get(user, "contact form", "/admin/contacts/new", 200).await?;
    think().await;
    let form = [
        ("first_name", "Cora"),
        ("last_name", "Soak"),
        ("email", contact_email.as_str()),
        ("job_title", "Buyer"),
        ("contact_status", "active"),
        ("register_as_user", "yes"),
        ("user_type", "company_business"),
        ("username", contact.as_str()),
        ("password_method", "invite"),
    ];
    post(user, "create contact", "/admin/contacts/new", &form, 303).await?;
    ack("contact", &contact, &contact_email, &primary);
    sign_out(user).await?;
    think().await;

    let staff = unique("stf");
    let staff_email = email_of(&staff);
    get(user, "register form", "/register/company_business", 200).await?;
    think().await;
    let mut form = person_form("Sam", &staff, &staff_email);
    form.push(("registry_id", &registry));
    let pending = post(user, "register staff", "/register/company_business", &form, 303).await?;
    if !pending.location.starts_with("/register/pending") {
        return Err(failed("register staff", format!("sent to {}", pending.location)));
    }
    ack("staff", &staff, &staff_email, &primary_email);
    think().await;
    if post(user, "sign in", "/login", &[("username", &staff), ("password", PASSWORD)], 401).await.is_err() {
        return Err(failed("staff signs in before approval", "not refused"));
    }
    think().await;

    sign_in(user, &primary, PASSWORD).await?;
    let queue = get(user, "pending approvals", "/admin/approvals", 200).await?;
    let request = request_id(&queue.body, &staff).ok_or_else(|| failed("pending approvals", "no row for the staff"))?;
    think().await;
    let path = format!("/admin/approvals/{request}/approve");
    get(user, "approve form", &path, 200).await?;
    post(user, "approve", &path, &[("comments", "Welcome")], 303).await?;
    ack("approved", &staff, &staff_email, &primary);
    sign_out(user).await?;
    think().await;

    sign_in(user, &staff, PASSWORD).await?;
    get(user, "home signed in", "/", 200).await?;
    sign_out(user).await
}

/// Sums goose's per-request status counts into `summary.json` for the checks.
fn write_summary(metrics: &GooseMetrics) {
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let (mut requests, mut failures) = (0, 0);
    for aggregate in metrics.requests.values() {
        requests += aggregate.success_count + aggregate.fail_count;
        failures += aggregate.fail_count;
        for (status, count) in &aggregate.status_code_counts {
            *statuses.entry(*status).or_default() += count;
        }
    }
    let server_errors: usize = statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, c)| c).sum();
    let summary = serde_json::json!({
        "requests": requests,
        "failures": failures,
        "server_errors": server_errors,
        "statuses": statuses.iter().map(|(s, c)| (s.to_string(), serde_json::json!(c))).collect::<serde_json::Map<_, _>>(),
        "duration_s": metrics.duration,
        "users": metrics.maximum_users,
    });
    std::fs::write(settings().out.join("summary.json"), summary.to_string()).expect("summary written");
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    std::fs::create_dir_all(&settings().out).expect("SOAK_OUT created");
    let metrics = GooseAttack::initialize()?
        .register_scenario(
            scenario!("Individual")
                .set_weight(2)?
                .set_wait_time(Duration::from_millis(500), Duration::from_secs(2))?
                .register_transaction(transaction!(individual_journey).set_name("individual journey")),
        )
        .register_scenario(
            scenario!("Company")
                .set_weight(1)?
                .set_wait_time(Duration::from_millis(500), Duration::from_secs(2))?
                .register_transaction(transaction!(company_journey).set_name("company journey")),
        )
        .execute()
        .await?;
    write_summary(&metrics);
    Ok(())
}
