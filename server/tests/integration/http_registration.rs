//! Registration over HTTP (REG-1 … REG-3, REG-13 … REG-15, LOG-5, SEC-2, SEC-4): the pages,
//! the plain HTML form posts and the server function, on SQLite and PostgreSQL.

use crate::common;

use app::backend::services::bootstrap;
use common::{
    alert_text, browser, for_each_app, individual_fields, location, session_cookie_in, spawn_app_with, text_of, TestApp,
};
use reqwest::{header, StatusCode};
use serde_json::json;

const LINKS: [(&str, &str); 3] = [
    ("/register/individual", "Register as an individual"),
    ("/register/company_primary", "Register your company"),
    ("/register/company_business", "Register as a user of an existing company"),
];

fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{href}\">{text}</a>")
}

fn assert_full_list(html: &str, label: &str, what: &str) {
    let text = text_of(html);
    for heading in ["Individual", "Company"] {
        assert!(html.contains(&format!(">{heading}</h2>")), "[{label}] {what}: heading {heading}");
    }
    assert!(!html.contains(">Partner</h2>"), "[{label}] {what}: no partner type is active");
    for (href, name) in LINKS {
        assert!(html.contains(&link(href, name)), "[{label}] {what}: link {name} → {href} in {text}");
    }
}

// covers: REG-1, REG-4
#[tokio::test]
async fn the_register_page_lists_the_active_types_under_their_group_headings() {
    for_each_app(|app| async move {
        let html = app.page("/register").await;
        assert_full_list(&html, app.label, "/register");
        assert!(!html.contains("/register/partner_primary"), "[{}] inactive types are hidden", app.label);
    })
    .await;
}

// covers: REG-1, REG-2
#[tokio::test]
async fn group_ut_naming_one_known_type_redirects_straight_to_its_form() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.get("/register?group_ut=individual:nonsense").await;
        assert!(response.status().is_redirection(), "[{label}] {}", response.status());
        assert_eq!(location(&response), "/register/individual", "[{label}]");
        let response = app.get("/register?group_ut=nonsense,individual&ref=%2Faccount").await;
        assert!(response.status().is_redirection(), "[{label}] {}", response.status());
        assert_eq!(location(&response), "/register/individual?ref=%2Faccount", "[{label}] ref is passed on");
    })
    .await;
}

// covers: REG-2
#[tokio::test]
async fn group_ut_lists_only_the_named_types_and_everything_when_none_is_known() {
    for_each_app(|app| async move {
        let label = app.label;
        let html = app.page("/register?group_ut=nonsense").await;
        assert_full_list(&html, label, "unknown keys only");
        let html = app.page("/register?group_ut=partner_primary").await;
        assert_full_list(&html, label, "inactive keys only");
        let html = app.page("/register?group_ut=individual:company_business").await;
        assert!(html.contains(&link(LINKS[0].0, LINKS[0].1)), "[{label}]");
        assert!(html.contains(&link(LINKS[2].0, LINKS[2].1)), "[{label}]");
        assert!(!html.contains(LINKS[1].0), "[{label}] company_primary was not asked for");
    })
    .await;
}

// covers: REG-3
#[tokio::test]
async fn after_registering_the_user_lands_on_ref_only_when_it_is_a_local_path() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.post_form("/register/individual?ref=%2Faccount", &individual_fields("ann.lee")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/account", "[{label}] a local ref is followed");
        for (i, bad) in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F", "%2F%5Cevil.example"].iter().enumerate()
        {
            let (client, _jar) = browser();
            let response = client
                .post(app.url(&format!("/register/individual?ref={bad}")))
                .header(header::ORIGIN, app.origin())
                .form(&individual_fields(&format!("someone.{i}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] ref={bad}");
            assert_eq!(location(&response), "/", "[{label}] ref={bad} falls back to /");
        }
    })
    .await;
}

// covers: REG-14, REG-15
#[tokio::test]
async fn an_invalid_form_post_is_shown_again_with_its_values_and_errors_but_never_the_password() {
    for_each_app(|app| async move {
        let label = app.label;
        let mut fields = individual_fields("ann.lee");
        fields.insert("first_name".into(), "Annabel".into());
        fields.insert("email".into(), "annabel@".into());
        fields.insert("password".into(), "secret-horse-battery-77".into());
        fields.insert("password_confirm".into(), "secret-horse-battery-77".into());
        let before = app.counts().await;
        let response = app.post_form("/register/individual", &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Annabel\""), "[{label}] the first name is kept");
        assert!(html.contains("value=\"annabel@\""), "[{label}] the wrong e-mail is kept to be corrected");
        assert!(!html.contains("secret-horse-battery-77"), "[{label}] the password is never sent back");
        let alert = alert_text(&html);
        assert!(!alert.is_empty(), "[{label}] a form-level message in role=alert");
        assert!(
            html.contains("Enter a valid e-mail address, like name@example.com"),
            "[{label}] the field error is shown"
        );
        assert!(html.contains("aria-describedby=\"email-error\""), "[{label}] the input points to its error");
        assert!(html.contains("id=\"email-error\""), "[{label}] the error has that id");
        assert!(html.contains("aria-invalid=\"true\""), "[{label}]");
        assert_eq!(app.counts().await, before, "[{label}] nothing written");
        assert_eq!(app.session_cookie(), None, "[{label}] not signed in");
    })
    .await;
}

// covers: REG-8, REG-14
#[tokio::test]
async fn a_taken_username_is_reported_on_its_field() {
    for_each_app(|app| async move {
        let label = app.label;
        assert_eq!(app.register("Ann.Lee").await.status(), StatusCode::SEE_OTHER, "[{label}]");
        let (client, _jar) = browser();
        let response = client
            .post(app.url("/register/individual"))
            .header(header::ORIGIN, app.origin())
            .form(&individual_fields("ann.lee"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("Username already used"), "[{label}]");
        assert!(html.contains("aria-describedby=\"username-hint username-error\""), "[{label}] hint and error");
    })
    .await;
}

async fn header_shows(app: &TestApp, client: &reqwest::Client, name: &str) -> bool {
    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let header = &html[html.find("<header").expect("a page header")..html.find("</header>").expect("end of header")];
    header.contains(name) && header.contains("Sign out")
}

// covers: REG-13, LOG-5, SEC-2
#[tokio::test]
async fn registering_signs_in_with_a_safe_cookie_and_signing_out_ends_the_session_on_the_server() {
    for_each_app(|app| async move {
        let label = app.label;
        let mut fields = individual_fields("ann.lee");
        fields.insert("marketing_opt_in".into(), "on".into());
        let response = app.post_form("/register/individual", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/", "[{label}]");
        let set_cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("gatehouse_session="))
            .unwrap_or_else(|| panic!("[{label}] a session cookie is set"))
            .to_owned();
        assert!(set_cookie.contains("HttpOnly"), "[{label}] {set_cookie}");
        assert!(set_cookie.contains("SameSite=Lax"), "[{label}] {set_cookie}");
        assert!(!set_cookie.contains("Secure"), "[{label}] plain HTTP in tests: {set_cookie}");
        let old_cookie = app.session_cookie().expect("session cookie in the jar");

        assert!(header_shows(&app, &app.client, "Ann Lee").await, "[{label}] LOG-5: name and Sign out");

        let response = app.post_form("/logout", &[] as &[(&str, &str)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] sign out");
        assert!(!header_shows(&app, &app.client, "Ann Lee").await, "[{label}] signed out");
        assert_eq!(app.count("sessions").await, 0, "[{label}] the session is gone from the server");

        // The old cookie, replayed by someone who kept it, no longer works (SEC-2).
        let (replay, jar) = browser();
        jar.add_cookie_str(&format!("gatehouse_session={old_cookie}"), &app.origin().parse().unwrap());
        assert_eq!(session_cookie_in(&jar, &app.origin()).as_deref(), Some(old_cookie.as_str()));
        assert!(!header_shows(&app, &replay, "Ann Lee").await, "[{label}] the old session is dead");
    })
    .await;
}

// covers: REG-13, REG-7
#[tokio::test]
async fn a_registration_that_needs_approval_lands_on_the_pending_page_without_a_session() {
    for_each_app(|app| async move {
        let label = app.label;
        bootstrap::load_demo_data(&app.state).await.expect("demo data");
        let mut fields = individual_fields("ann.lee");
        fields.insert("registry_id".into(), "R-ACME01".into());
        let response = app.post_form("/register/company_business?ref=%2Faccount", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/register/pending", "[{label}]");
        let html = app.page("/register/pending").await;
        assert!(html.contains("Your registration has been submitted and is awaiting approval"), "[{label}]");
        assert!(!header_shows(&app, &app.client, "Ann Lee").await, "[{label}] not signed in");
    })
    .await;
}

/// The server function's JSON arguments: the type, the form's fields (flattened) and `ref`.
fn submission(fields: std::collections::HashMap<String, String>, ref_: Option<&str>) -> serde_json::Value {
    let mut arguments = serde_json::to_value(fields).expect("fields as JSON");
    arguments["type_key"] = json!("individual");
    arguments["ref"] = json!(ref_);
    arguments
}

// covers: REG-15
#[tokio::test]
async fn the_registration_server_function_answers_with_where_to_go() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app
            .client
            .post(app.url("/rpc/register/submit"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .json(&submission(individual_fields("ann.lee"), Some("/account")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let next: String = response.json().await.expect("a JSON string");
        assert_eq!(next, "/account", "[{label}]");
        assert!(header_shows(&app, &app.client, "Ann Lee").await, "[{label}] signed in");

        let (client, _jar) = browser();
        let response = client
            .post(app.url("/rpc/register/submit"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .json(&submission(individual_fields("ANN.LEE"), None))
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success(), "[{label}] a taken username fails");
        let error: serde_json::Value = response.json().await.expect("a JSON error");
        assert_eq!(
            error,
            json!({ "Validation": { "fields": [{ "field": "username", "message": "Username already used" }] } }),
            "[{label}] field errors cross the wire"
        );
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn the_seventh_registration_in_a_minute_from_one_address_is_refused() {
    for_each_app(|app| async move {
        let label = app.label;
        for n in 1..=6 {
            let response = app.register(&format!("user.{n}")).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] registration {n}");
        }
        let users = app.count("users").await;
        let response = app.register("user.7").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "[{label}] the 7th");
        assert!(response.headers().contains_key(header::RETRY_AFTER), "[{label}]");
        let html = response.text().await.unwrap();
        assert!(alert_text(&html).contains("Too many attempts"), "[{label}] {html}");
        assert_eq!(app.count("users").await, users, "[{label}] the refused registration wrote nothing");
    })
    .await;
}

// covers: SEC-4, OPS-5
#[tokio::test]
async fn with_the_ip_rate_limit_off_rapid_registrations_are_allowed() {
    for db in app::testing::test_databases().await {
        let app = spawn_app_with(db, |config| config.ip_rate_limit = false).await;
        let label = app.label;
        for n in 1..=8 {
            let response = app.register(&format!("user.{n}")).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] registration {n}");
        }
    }
}
