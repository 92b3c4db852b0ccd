//! Sign-in over HTTP (LOG-1, LOG-2, SEC-2): the plain HTML form and the server function, on
//! SQLite and PostgreSQL.

use crate::common;

use app::backend::services::bootstrap;
use common::{alert_text, browser, for_each_app, header_value, individual_fields, location, TestApp, GOOD_PASSWORD};
use reqwest::{header, StatusCode};

/// Registers `ann.lee` from a separate browser, so the test's own client starts signed out.
async fn ann(app: &TestApp) {
    app.registered_elsewhere("ann.lee").await;
}

async fn signed_in_name(app: &TestApp, client: &reqwest::Client) -> bool {
    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let header = &html[html.find("<header").expect("header")..html.find("</header>").expect("end of header")];
    header.contains("Ann Lee") && header.contains("Sign out")
}

/// The alert's message without its "(reference …)" part, and the reference.
fn message_and_reference(alert: &str) -> (String, String) {
    let start = alert.find("(reference ").unwrap_or_else(|| panic!("a reference code in {alert:?}"));
    let reference = &alert[start + "(reference ".len()..];
    let reference = &reference[..reference.find(')').expect("end of reference")];
    (alert[..start].trim().to_owned(), reference.to_owned())
}

// covers: LOG-1, SEC-2
#[tokio::test]
async fn signing_in_gives_a_new_session_id_and_the_old_one_stops_working() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        let response = app.sign_in("ann.lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/", "[{label}]");
        let first = app.session_cookie().expect("a session after sign-in");
        assert!(signed_in_name(&app, &app.client).await, "[{label}] signed in");

        // Signing in again on a browser that already has a session must not keep its ID.
        let response = app.sign_in("Ann.Lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        let second = app.session_cookie().expect("a session after the second sign-in");
        assert_ne!(first, second, "[{label}] SEC-2: a new session ID on sign-in");
        assert!(signed_in_name(&app, &app.client).await, "[{label}] still signed in");

        let (replay, jar) = browser();
        jar.add_cookie_str(&format!("gatehouse_session={first}"), &app.origin().parse().unwrap());
        assert!(!signed_in_name(&app, &replay).await, "[{label}] the previous ID is no longer a session");
    })
    .await;
}

// covers: REG-3
#[tokio::test]
async fn signing_in_lands_on_a_local_ref_only() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        let form = [("username", "ann.lee"), ("password", GOOD_PASSWORD)];
        let response = app.post_form("/login?ref=%2Forders%3Fpage%3D2", &form).await;
        assert_eq!(location(&response), "/orders?page=2", "[{label}]");
        let response = app.post_form("/login?ref=https%3A%2F%2Fevil.example", &form).await;
        assert_eq!(location(&response), "/", "[{label}]");
    })
    .await;
}

// covers: LOG-1
#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_read_the_same_with_the_requests_reference() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        let mut messages = Vec::new();
        for (username, password) in [("ann.lee", "copper kettle harbor 8"), ("nobody.here", GOOD_PASSWORD)] {
            let response = app.sign_in(username, password).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "[{label}] {username}");
            let request_id = header_value(&response, "x-request-id").expect("x-request-id");
            let html = response.text().await.unwrap();
            assert!(!html.contains(password), "[{label}] the password is not sent back");
            assert!(html.contains(&format!("value=\"{username}\"")), "[{label}] the username is kept");
            let (message, reference) = message_and_reference(&alert_text(&html));
            assert_eq!(reference, request_id, "[{label}] the reference is the request's ID");
            messages.push(message);
        }
        assert_eq!(messages[0], messages[1], "[{label}] no hint which one was wrong");
        assert!(messages[0].contains("username or password"), "[{label}] {}", messages[0]);
        assert_eq!(app.session_cookie(), None, "[{label}] no session");
    })
    .await;
}

// covers: LOG-2, REG-13
#[tokio::test]
async fn a_user_awaiting_approval_is_told_so_at_sign_in() {
    for_each_app(|app| async move {
        let label = app.label;
        bootstrap::load_demo_data(&app.state).await.expect("demo data");
        let mut fields = individual_fields("ann.lee");
        fields.insert("registry_id".into(), "R-ACME01".into());
        let (client, _jar) = browser();
        let response = client
            .post(app.url("/register/company_business"))
            .header(header::ORIGIN, app.origin())
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/register/pending", "[{label}]");
        let response = app.sign_in("ann.lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "[{label}]");
        let alert = alert_text(&response.text().await.unwrap());
        assert!(alert.contains("awaiting approval"), "[{label}] {alert}");
        assert_eq!(app.session_cookie(), None, "[{label}] no session");
    })
    .await;
}

// covers: LOG-1, REG-15
#[tokio::test]
async fn the_sign_in_server_function_takes_a_url_encoded_form() {
    for_each_app(|app| async move {
        let label = app.label;
        ann(&app).await;
        let response = app
            .client
            .post(app.url("/rpc/auth/sign_in"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("username=ann.lee&password={}", GOOD_PASSWORD.replace(' ', "+")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let next: String = response.json().await.expect("a JSON string");
        assert_eq!(next, "/", "[{label}]");
        assert!(signed_in_name(&app, &app.client).await, "[{label}] the session is signed in");

        let (client, _jar) = browser();
        let response = client
            .post(app.url("/rpc/auth/sign_in"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .form(&[("username", "ann.lee"), ("password", "wrong wrong wrong")])
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success(), "[{label}]");
        let error: serde_json::Value = response.json().await.expect("a JSON error");
        let message = error["Form"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("username or password"), "[{label}] {error}");
    })
    .await;
}
