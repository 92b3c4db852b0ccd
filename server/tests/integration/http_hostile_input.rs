//! Hostile input (issue 11): random and malformed posts to every plain form route and every
//! server function, as a stranger, a signed-in customer and the merchant admin. Whatever
//! arrives, the answer is never a 5xx, and the server still answers afterwards.
//!
//! The count is `GATEHOUSE_HOSTILE_POSTS` (default 1,500 a database here; `make bench` runs
//! 10,000). The generator is seeded (`GATEHOUSE_HOSTILE_SEED`, printed), so a failure can be
//! replayed exactly.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{header, Client, StatusCode};

use crate::common::*;

/// The plain form routes, read from the router's own source so that a new route is fuzzed
/// without anyone remembering to add it here.
fn form_routes() -> Vec<String> {
    let source = include_str!("../../src/startup.rs");
    let mut routes: Vec<String> = source
        .split(".route(")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let path = rest.strip_prefix('"')?.split('"').next()?;
            let after = &rest[path.len() + 2..];
            let handler = after.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
            (handler.starts_with("form_post") || handler.starts_with("import_upload") || handler.starts_with("post("))
                .then(|| path.to_owned())
        })
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

/// Every registered server function's path (Leptos' own registry).
fn server_functions() -> Vec<String> {
    let mut paths: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _method)| path.to_owned()).collect();
    paths.sort();
    paths
}

/// Field names the forms read, so random bodies reach the parsers and not only the decoder.
const FIELDS: &[&str] = &[
    "username",
    "password",
    "password_confirm",
    "current_password",
    "new_password",
    "new_password_confirm",
    "email",
    "first_name",
    "last_name",
    "middle_name",
    "company_name",
    "registry_id",
    "phone",
    "phone_kind",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "country",
    "language",
    "ref",
    "comment",
    "justification",
    "account_number",
    "order_number",
    "order_date",
    "name",
    "key",
    "value",
    "status",
    "q",
    "role_id",
    "site_id",
    "effective_date",
    "start_date",
    "end_date",
    "kind",
    "group",
    "approval",
    "active",
    "self_service",
    "roles",
    "sites",
    "primary",
    "is_primary",
    "contact_kind",
    "direction",
    "scope",
    "book",
    "type_key",
    "token",
    "secret",
    "title",
    "description",
    "permissions",
    "universal_approver",
    "password_min_length",
    "session_idle_minutes",
    "auto_create_account",
    "action",
    "file",
    "page",
    "cursor",
];

/// Values that have broken parsers elsewhere: empty, huge, odd Unicode, control characters,
/// numbers at their limits, injection-looking strings, dates that are not dates.
const NASTY: &[&str] = &[
    "",
    " ",
    "\0",
    "\u{202e}evil",
    "💥",
    "Ω≈ç√∫",
    "a\r\nBcc: x@example.com",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\"; DROP TABLE users; --",
    "../../etc/passwd",
    "%00",
    "%ZZ",
    "-1",
    "0",
    "99999999999999999999",
    "-9223372036854775808",
    "9223372036854775807",
    "1e309",
    "NaN",
    "true",
    "on",
    "off",
    "[]",
    "{}",
    "null",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "2026-13-01",
    "x@",
    "@x",
    "a@b",
    "a@b.c",
    "+1 (555) 010-0000",
    "US",
    "ZZ",
    "individual",
    "company_primary",
    "company_staff",
    "admin",
    "Company",
    "Merchant",
    "Up",
    "Down",
    "Person",
    "A-100001",
    "00000000",
    "ZZZZZZZZ",
];

fn random_text(rng: &mut StdRng) -> String {
    match rng.gen_range(0..6) {
        0 => NASTY[rng.gen_range(0..NASTY.len())].to_owned(),
        1 => "x".repeat(rng.gen_range(0..20_000)),
        2 => (0..rng.gen_range(0..64)).map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('?')).collect(),
        3 => rng.gen::<i64>().to_string(),
        4 => uuid_like(rng),
        _ => (0..rng.gen_range(1..40)).map(|_| rng.gen_range(b' '..=b'~') as char).collect(),
    }
}

fn uuid_like(rng: &mut StdRng) -> String {
    format!(
        "{:08x}-{:04x}-7{:03x}-8{:03x}-{:012x}",
        rng.gen::<u32>(),
        rng.gen::<u16>(),
        rng.gen_range(0..0xfff),
        rng.gen_range(0..0xfff),
        rng.gen::<u64>() & 0xffff_ffff_ffff
    )
}

/// A path parameter: a real-looking key, an ID that exists nowhere, or garbage.
fn fill_path(route: &str, rng: &mut StdRng) -> String {
    let mut out = String::new();
    let mut rest = route;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        let value = match rng.gen_range(0..4) {
            0 => ["individual", "company_primary", "company_staff", "partner", "online_access_individual"]
                [rng.gen_range(0..5)]
            .to_owned(),
            1 => uuid_like(rng),
            2 => "%2e%2e%2f%00".to_owned(),
            _ => urlencoding(&random_text(rng).chars().take(200).collect::<String>()),
        };
        out.push_str(if value.is_empty() { "x" } else { &value });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A body and its content type: form fields with nasty values, repeated and bracketed keys,
/// raw bytes, JSON where a form is expected, broken percent-escapes, a broken multipart.
fn random_body(rng: &mut StdRng) -> (Vec<u8>, &'static str) {
    const FORM: &str = "application/x-www-form-urlencoded";
    match rng.gen_range(0..10) {
        0 => ((0..rng.gen_range(0..4_000)).map(|_| rng.gen::<u8>()).collect(), FORM),
        1 => (format!("{{\"username\": {}, \"password\": [1,2]}}", rng.gen::<i32>()).into_bytes(), "application/json"),
        2 => (b"a=%&b=%E0%A4%A&c=%FF%FE&=&&==&%=%".to_vec(), FORM),
        3 => (
            b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nrecord,external_id\r\n".to_vec(),
            "multipart/form-data; boundary=y",
        ),
        4 => (vec![b'a'; rng.gen_range(60_000..200_000)], FORM),
        5 => (random_text(rng).into_bytes(), "text/plain"),
        _ => {
            let mut body = String::new();
            for _ in 0..rng.gen_range(0..30) {
                let key = match rng.gen_range(0..5) {
                    0 => format!("{}[{}]", FIELDS[rng.gen_range(0..FIELDS.len())], rng.gen_range(0..3)),
                    1 => urlencoding(&random_text(rng).chars().take(30).collect::<String>()),
                    _ => FIELDS[rng.gen_range(0..FIELDS.len())].to_owned(),
                };
                if !body.is_empty() {
                    body.push('&');
                }
                body.push_str(&format!("{key}={}", urlencoding(&random_text(rng))));
            }
            (body.into_bytes(), FORM)
        }
    }
}

fn posts_per_database() -> usize {
    std::env::var("GATEHOUSE_HOSTILE_POSTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_500)
}

fn seed() -> u64 {
    std::env::var("GATEHOUSE_HOSTILE_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x6a7e_4005e)
}

// covers: SEC-3, SEC-5
#[tokio::test]
async fn random_and_malformed_posts_to_every_form_and_server_function_never_answer_5xx() {
    let routes = form_routes();
    assert!(routes.len() > 60, "the form routes were read from startup.rs: {routes:?}");
    let functions = server_functions();
    assert!(functions.len() > 60, "the server functions are registered: {}", functions.len());
    let targets: Vec<String> = routes.iter().chain(&functions).cloned().collect();
    let (posts, seed) = (posts_per_database(), seed());
    eprintln!("hostile input: {posts} posts a database over {} targets, seed {seed}", targets.len());

    for db in app::testing::test_databases().await {
        // Without the per-address limits the posts reach the parsers instead of a 429.
        let app = spawn_app_with(db, |config| config.ip_rate_limit = false).await;
        app.registered_elsewhere("hostile.customer").await;
        let customer = signed_in(&app, "hostile.customer", GOOD_PASSWORD).await;
        let admin = merchant_admin(&app).await;
        let (stranger, _jar) = browser();
        let clients: [(&'static str, &Client); 3] =
            [("stranger", &stranger), ("customer", &customer), ("admin", &admin)];

        let mut rng = StdRng::seed_from_u64(seed);
        let mut failures = Vec::new();
        let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
        for batch in 0..posts.div_ceil(8) {
            let mut requests = tokio::task::JoinSet::new();
            for _ in 0..8.min(posts - batch * 8) {
                let target = &targets[rng.gen_range(0..targets.len())];
                let (who, client) = clients[rng.gen_range(0..clients.len())];
                // Signing out would turn the signed-in clients into strangers.
                let who_client = if target == "/logout" { ("stranger", &stranger) } else { (who, client) };
                let path = fill_path(target, &mut rng);
                let (body, content_type) = random_body(&mut rng);
                let request = who_client
                    .1
                    .post(app.url(&path))
                    .header(header::ORIGIN, app.origin())
                    .header(header::CONTENT_TYPE, content_type)
                    .body(body);
                let who = who_client.0;
                requests.spawn(async move { (who, path, request.send().await) });
            }
            while let Some(done) = requests.join_next().await {
                let (who, path, answer) = done.expect("the request task");
                match answer {
                    Ok(response) => {
                        let status = response.status();
                        *statuses.entry(status.as_u16()).or_default() += 1;
                        if status.is_server_error() {
                            let body = response.text().await.unwrap_or_default();
                            failures.push(format!(
                                "{status} for {who} POST {path}: {}",
                                body.chars().take(300).collect::<String>()
                            ));
                        }
                    }
                    Err(e) => failures.push(format!("no answer for {who} POST {path}: {e}")),
                }
            }
        }
        eprintln!("[{}] statuses: {statuses:?}", app.label);
        assert!(
            failures.is_empty(),
            "[{}] {} of {posts} posts failed (seed {seed}):\n{}",
            app.label,
            failures.len(),
            failures.join("\n")
        );
        // Still serving, and the signed-in clients still signed in.
        assert_eq!(app.get("/readyz").await.status(), StatusCode::OK, "[{}]", app.label);
        assert_eq!(
            get(&app, &admin, "/console").await.status(),
            StatusCode::OK,
            "[{}] the admin is still signed in",
            app.label
        );
    }
}
