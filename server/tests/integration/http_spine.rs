//! The typed spine over HTTP: a plain form post that loses a race is told so with 409 and the
//! page (APR-9), and a session stops working the moment its user may no longer sign in (LOG-2).
//! SQLite and PostgreSQL.

use crate::common;

use std::collections::HashMap;

use app::testing::{company_fields, person};
use common::{browser, for_each_app, get, location, post, post_fields, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{header, Client, StatusCode};

async fn html(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    (response.status(), response.text().await.expect("a body"))
}

fn header_of(html: &str) -> &str {
    &html[html.find("<header").expect("header")..html.find("</header>").expect("end of header")]
}

/// Acme Tools' primary user (signed in) and a staff member awaiting approval: (primary's
/// browser, the staff member's request id).
async fn company_with_staff(app: &TestApp) -> (Client, String) {
    let (pat, _jar) = browser();
    let response =
        post_fields(app, &pat, "/register/company_primary", &company_fields("Acme Tools", "pat.owner")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}]", app.label);
    let registry_id: String = sqlx::query_as::<_, (String,)>("SELECT registry_id FROM organizations")
        .fetch_one(app.state.db.pool())
        .await
        .expect("the company")
        .0;
    let (ann, _jar) = browser();
    let mut fields = person("ann.lee", "Ann");
    fields.insert("registry_id".into(), registry_id);
    let response = post_fields(app, &ann, "/register/company_business", &fields).await;
    assert_eq!(location(&response), "/register/pending", "[{}]", app.label);
    let request: String = sqlx::query_as::<_, (String,)>("SELECT id FROM requests")
        .fetch_one(app.state.db.pool())
        .await
        .expect("a request")
        .0;
    (pat, request)
}

// covers: APR-9, REG-15
#[tokio::test]
async fn a_plain_post_that_lost_the_race_is_answered_409_with_the_page_saying_so() {
    for_each_app(|app| async move {
        let label = app.label;
        let (pat, request) = company_with_staff(&app).await;
        let path = format!("/admin/approvals/{request}/approve");
        let comments = [("comments", "Welcome")];
        let first = post(&app, &pat, &path, &comments).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER, "[{label}] the first decision");
        let second = post(&app, &pat, &path, &comments).await;
        assert_eq!(second.status(), StatusCode::CONFLICT, "[{label}] the second one lost");
        let page = second.text().await.expect("the page");
        assert!(text_of(&page).contains("This request has already been decided"), "[{label}] {}", text_of(&page));
        assert!(page.contains("role=\"alert\""), "[{label}] said in an alert");
        assert!(page.contains("href=\"/admin/approvals\""), "[{label}] with the way back to the queue");
    })
    .await;
}

// covers: LOG-2, SEC-2, SEC-5, PAR-1
#[tokio::test]
async fn a_session_loses_every_right_once_its_contact_is_made_inactive() {
    for_each_app(|app| async move {
        let label = app.label;
        let (pat, request) = company_with_staff(&app).await;
        let approved = post(&app, &pat, &format!("/admin/approvals/{request}/approve"), &[]).await;
        assert_eq!(approved.status(), StatusCode::SEE_OTHER, "[{label}]");
        let (ann, _jar) = browser();
        let login = [("username", "ann.lee"), ("password", GOOD_PASSWORD)];
        assert_eq!(post(&app, &ann, "/login", &login).await.status(), StatusCode::SEE_OTHER, "[{label}] signed in");
        let (_, page) = html(&app, &ann, "/").await;
        assert!(header_of(&page).contains("Ann Lee"), "[{label}] the header names her");

        sqlx::query("UPDATE contacts SET status = 'inactive' WHERE person_id = (SELECT person_id FROM users WHERE lower_username = 'ann.lee')")
            .execute(app.state.db.pool())
            .await
            .expect("contact ended");
        // PAR-1: still signed in, but every secure page asks her to complete her registration.
        let (_, page) = html(&app, &ann, "/").await;
        assert!(header_of(&page).contains("Complete your registration"), "[{label}] {}", text_of(header_of(&page)));
        assert!(!header_of(&page).contains("/profile"), "[{label}] no other menu entry");
        let refused = get(&app, &ann, "/admin/approvals").await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert!(location(&refused).starts_with("/register/confirm?ref="), "[{label}] {}", location(&refused));
        let (_, page) = html(&app, &pat, "/").await;
        assert!(header_of(&page).contains("Pat"), "[{label}] others are untouched");
    })
    .await;
}

// covers: LOG-1, REG-14, APR-9
#[tokio::test]
async fn server_functions_answer_each_error_with_the_status_the_plain_post_uses() {
    for_each_app(|app| async move {
        let label = app.label;
        let rpc = |fields: &[(&str, &str)]| {
            let form: HashMap<String, String> =
                fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            app.client
                .post(app.url("/rpc/auth/sign_in"))
                .header(header::ORIGIN, app.origin())
                .header(header::ACCEPT, "application/json")
                .form(&form)
                .send()
        };
        let wrong = rpc(&[("username", "nobody.here"), ("password", "not the password")]).await.expect("POST");
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "[{label}] a refused sign-in");
        let error: serde_json::Value = wrong.json().await.expect("the error as JSON");
        assert!(error.get("Form").is_some(), "[{label}] {error}");
        let blank = rpc(&[("username", ""), ("password", "")]).await.expect("POST");
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}] field errors");
        let error: serde_json::Value = blank.json().await.expect("the error as JSON");
        assert_eq!(error["Validation"]["fields"][0]["field"], "username", "[{label}] {error}");
    })
    .await;
}
