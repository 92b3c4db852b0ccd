//! Security defects fixed over HTTP (SPEC §11): the busy answer of a saturated hasher (SEC-1),
//! sliding and absolute session limits (SEC-2), per-address buckets behind proxies (SEC-4)
//! and the caching and transport headers (SEC-6), on SQLite and PostgreSQL.

use crate::common;

use std::time::Duration;

use app::backend::clock::MINUTE_MS;
use app::backend::settings;
use app::testing::test_databases;
use common::{for_each_app, header_value, spawn_app_with, TestApp, GOOD_PASSWORD};
use reqwest::{header, Client, StatusCode};

/// Registers `ann.lee` from a separate browser, so the test's own client starts signed out.
async fn ann(app: &TestApp) {
    app.registered_elsewhere("ann.lee").await;
}

async fn signed_in(app: &TestApp, client: &Client) -> bool {
    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let header = &html[html.find("<header").expect("header")..html.find("</header>").expect("end of header")];
    header.contains("Ann Lee") && header.contains("Sign out")
}

async fn sign_in_ann(app: &TestApp) {
    let response = app.sign_in("ann.lee", GOOD_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] sign-in", app.label);
}

async fn set_setting(app: &TestApp, key: &str, value: &str) {
    let mut conn = app.state.db.pool().acquire().await.expect("connection");
    settings::set(&mut conn, key, value, app.state.now_ms()).await.expect("setting");
}

/// The latest expiry of a signed-in session row, in epoch milliseconds.
async fn session_row_expiry(app: &TestApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT MAX(expiry_date) FROM sessions WHERE user_id IS NOT NULL")
        .fetch_one(app.state.db.pool())
        .await
        .expect("a signed-in session row")
}

// covers: SEC-2
#[tokio::test]
async fn an_active_session_slides_past_the_idle_timeout_and_an_idle_one_ends() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        sign_in_ann(&app).await;
        for step in 1..=3 {
            app.clock.advance_ms(20 * MINUTE_MS);
            assert!(signed_in(&app, &app.client).await, "[{label}] active for {} minutes", step * 20);
            let expiry = session_row_expiry(&app).await;
            assert!(expiry > app.state.now_ms() + 29 * MINUTE_MS, "[{label}] the stored expiry slides with activity");
        }
        app.clock.advance_ms(31 * MINUTE_MS);
        assert!(!signed_in(&app, &app.client).await, "[{label}] 31 idle minutes end the session");
    })
    .await;
}

// covers: SEC-2
#[tokio::test]
async fn the_absolute_limit_ends_an_active_session_at_twelve_hours() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        sign_in_ann(&app).await;
        for _ in 0..35 {
            app.clock.advance_ms(20 * MINUTE_MS);
            assert!(signed_in(&app, &app.client).await, "[{label}] active at {} min", elapsed_minutes(&app));
        }
        // 11 h 40 min so far; 20 more minutes of activity would pass 12 h.
        app.clock.advance_ms(20 * MINUTE_MS + 1);
        assert!(!signed_in(&app, &app.client).await, "[{label}] ended after 12 h however active");
    })
    .await;
}

fn elapsed_minutes(app: &TestApp) -> i64 {
    (app.state.now_ms() - app.state.now_ms() % MINUTE_MS) / MINUTE_MS
}

// covers: SEC-2
#[tokio::test]
async fn a_changed_idle_setting_applies_without_a_restart() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        set_setting(&app, "session_idle_minutes", "60").await;
        sign_in_ann(&app).await;
        app.clock.advance_ms(45 * MINUTE_MS);
        assert!(signed_in(&app, &app.client).await, "[{label}] 45 idle minutes are within a 60-minute setting");

        set_setting(&app, "session_idle_minutes", "10").await;
        app.clock.advance_ms(11 * MINUTE_MS);
        assert!(!signed_in(&app, &app.client).await, "[{label}] 11 idle minutes end it once the setting is 10");
    })
    .await;
}

// covers: SEC-1
#[tokio::test]
async fn a_saturated_hasher_answers_busy_with_the_reference_code() {
    for db in test_databases().await {
        let app = spawn_app_with(db, |config| config.hash_wait = Duration::from_millis(200)).await;
        let label = app.label;
        let _every_hasher = app.state.hasher.occupy_all().await;

        let response = app.sign_in("ann.lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "[{label}] plain form post");
        let reference = header_value(&response, "x-request-id").expect("x-request-id");
        let html = response.text().await.unwrap();
        assert!(html.contains("busy") && html.contains(&reference), "[{label}] the page names the reference");

        let response = app
            .client
            .post(app.url("/rpc/auth/sign_in"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .form(&[("username", "ann.lee"), ("password", GOOD_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "[{label}] server function");
        let reference = header_value(&response, "x-request-id").expect("x-request-id");
        let error: serde_json::Value = response.json().await.expect("a JSON error");
        assert_eq!(error["Busy"]["reference"].as_str(), Some(reference.as_str()), "[{label}] {error}");
    }
}

/// An empty registration post: refused as invalid, but it takes a token of the address's
/// registration bucket (6 at once).
async fn registration_from(app: &TestApp, forwarded_for: &[&str]) -> StatusCode {
    let mut request = app.client.post(app.url("/register/individual")).header(header::ORIGIN, app.origin());
    for line in forwarded_for {
        request = request.header("x-forwarded-for", *line);
    }
    request.form(&[("username", "")]).send().await.unwrap().status()
}

async fn use_up_bucket(app: &TestApp, forwarded_for: &[&str]) {
    for _ in 0..6 {
        let status = registration_from(app, forwarded_for).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "[{}] {forwarded_for:?} within its bucket", app.label);
    }
    let status = registration_from(app, forwarded_for).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{}] {forwarded_for:?} bucket used up", app.label);
}

// covers: SEC-4
#[tokio::test]
async fn every_forwarded_for_line_counts_and_a_garbage_hop_is_the_proxys_address() {
    for db in test_databases().await {
        let app = spawn_app_with(db, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
        let label = app.label;
        use_up_bucket(&app, &["198.51.100.7"]).await;
        // Two header lines are one list; the last line holds the nearest hop.
        let status = registration_from(&app, &["203.0.113.50", "198.51.100.7"]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{label}] the client is the nearest untrusted hop");

        // Without a header the proxy itself is the client; a hop that is not an address must
        // not let a spoofer choose a fresh bucket behind it.
        use_up_bucket(&app, &[]).await;
        let status = registration_from(&app, &["198.51.100.99, not-an-address"]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{label}] garbage counts as the proxy that sent it");

        // IPv6 clients are counted per /64.
        use_up_bucket(&app, &["2001:db8:1:2::1"]).await;
        let status = registration_from(&app, &["2001:db8:1:2:abcd::9"]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{label}] the same /64 is the same client");
        let status = registration_from(&app, &["2001:db8:1:3::1"]).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "[{label}] another /64 is another client");
    }
}

// covers: SEC-6
#[tokio::test]
async fn https_deployments_send_strict_transport_security() {
    for db in test_databases().await {
        let app = spawn_app_with(db, |config| config.public_url = "https://shop.example".into()).await;
        let response = app.get("/healthz").await;
        assert_eq!(
            header_value(&response, "strict-transport-security").as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "[{}]",
            app.label
        );
    }
    for_each_app(|app| async move {
        let response = app.get("/healthz").await;
        assert_eq!(header_value(&response, "strict-transport-security"), None, "[{}] plain HTTP", app.label);
    })
    .await;
}

const HASHED_JS: &str = "gatehouse.2Wq6Tf_0b-Kd3mZ9xYv1Aa.js";

fn no_store(response: &reqwest::Response) -> bool {
    header_value(response, "cache-control").is_some_and(|v| v.contains("no-store"))
}

// covers: SEC-6
#[tokio::test]
async fn signed_in_pages_server_functions_and_form_posts_are_never_stored() {
    let site = tempfile::tempdir().expect("site root");
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/gatehouse.css"), "main { margin: 0 }").unwrap();
    // A content-hashed file as the release build names it, with its precompressed brotli copy.
    std::fs::write(site.path().join(format!("pkg/{HASHED_JS}")), "console.log(1)").unwrap();
    std::fs::write(site.path().join(format!("pkg/{HASHED_JS}.br")), b"brotli bytes").unwrap();
    let site_root = site.path().to_str().unwrap().to_owned();
    for db in test_databases().await {
        let root = site_root.clone();
        let app = spawn_app_with(db, move |config| config.site_root = root).await;
        let label = app.label;
        ann(&app).await;
        let response = app.sign_in("ann.lee", "not the password at all").await;
        assert!(no_store(&response), "[{label}] a refused form post");
        let response = app.sign_in("ann.lee", GOOD_PASSWORD).await;
        assert!(no_store(&response), "[{label}] the form post that signs in");
        let response = app.get("/").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        assert!(no_store(&response), "[{label}] a page rendered for a signed-in session");
        let response = app
            .client
            .post(app.url("/rpc/auth/current_user"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert!(no_store(&response), "[{label}] a server function's answer ({})", response.status());

        let response = app.get("/pkg/gatehouse.css").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}] the static asset is served");
        assert!(!no_store(&response), "[{label}] static assets keep caching");
        assert_eq!(
            header_value(&response, "cache-control").as_deref(),
            Some("no-cache"),
            "[{label}] unhashed: revalidated"
        );

        // Issue 11: a hashed file is kept for a year, and a browser that takes brotli gets the
        // precompressed copy.
        let response = app
            .client
            .get(app.url(&format!("/pkg/{HASHED_JS}")))
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        assert_eq!(
            header_value(&response, "cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "[{label}]"
        );
        assert_eq!(
            header_value(&response, "content-encoding").as_deref(),
            Some("br"),
            "[{label}] the precompressed copy"
        );
    }
}
