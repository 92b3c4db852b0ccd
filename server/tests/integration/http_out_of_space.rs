//! Issue 11's disk-full fault over HTTP, on a SQLite file (the soak's database): a form post
//! that cannot be saved is answered 503 "out of storage space" on its page, with the request's
//! reference, and writes nothing (the JSON API answers its out-of-space problem); a sign-out the
//! database cannot record says the user is still signed in, and the session does go on working
//! until it can be ended.

use reqwest::{Response, StatusCode};

use app::testing::{limit_sqlite_pages, sqlite_pages};

use crate::common::{header_value, spawn_app, TestApp};

/// Registers new users through `post` (given a fresh username) until one is not answered
/// `accepted`: the room left in existing pages takes a few, one soon needs a page. Asserts
/// that the refused one wrote nothing, and answers its response.
async fn first_refused<F, Fut>(app: &TestApp, accepted: StatusCode, post: F) -> Response
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<Response>>,
{
    for n in 0..200 {
        let before = app.counts().await;
        let response = post(format!("Full.{n}")).await.expect("POST");
        if response.status() != accepted {
            assert_eq!(app.counts().await, before, "a refused registration writes nothing");
            return response;
        }
    }
    panic!("a database at its page limit refuses a registration");
}

// covers: LOG-1, REG-14
#[tokio::test]
async fn a_registration_on_a_full_database_is_answered_out_of_space_on_its_page() {
    let app = spawn_app(app::testing::sqlite_file()).await;
    limit_sqlite_pages(&app.state.db, sqlite_pages(&app.state.db).await).await;
    let response = first_refused(&app, StatusCode::SEE_OTHER, |username| {
        let (client, _jar) = crate::common::browser();
        client
            .post(app.url("/register/individual"))
            .header(reqwest::header::ORIGIN, app.origin())
            .form(&app::testing::individual_fields(&username))
            .send()
    })
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let reference = header_value(&response, "x-request-id").expect("the request's reference");
    let html = response.text().await.expect("page");
    assert!(html.contains("out of storage space"), "the page says why: {html}");
    assert!(html.contains(&reference), "the page names the reference {reference}");
    assert!(html.contains("name=\"first_name\"") && html.contains("value=\"Ann\""), "the form keeps what was typed");
}

// covers: LOG-5, SEC-2
#[tokio::test]
async fn a_sign_out_the_database_cannot_record_says_so_and_the_session_goes_on() {
    let app = spawn_app(app::testing::sqlite_file()).await;
    assert_eq!(app.register("Ann.Lee").await.status(), StatusCode::SEE_OTHER);
    let signed_in = |html: &str| html.contains("Sign out");
    assert!(signed_in(&app.page("/").await), "registered and signed in");
    // The database refuses to end sessions (as a full disk refuses the write).
    app::testing::exec(
        &app.state,
        "CREATE TRIGGER sessions_kept BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'no room'); END",
        &[],
    )
    .await;

    let response = app.post_form("/logout", &[] as &[(&str, &str)]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header_value(&response, "retry-after").as_deref(), Some("60"));
    let reference = header_value(&response, "x-request-id").expect("the request's reference");
    let html = response.text().await.expect("page");
    assert!(html.contains("role=\"alert\"") && html.contains("still signed in"), "{html}");
    assert!(html.contains(&reference), "the page names the reference {reference}");
    assert!(signed_in(&app.page("/").await), "the session was not ended, and the page said so");
    assert_eq!(app.count("sessions").await, 1);

    app::testing::exec(&app.state, "DROP TRIGGER sessions_kept", &[]).await;
    assert_eq!(app.post_form("/logout", &[] as &[(&str, &str)]).await.status(), StatusCode::SEE_OTHER);
    assert!(!signed_in(&app.page("/").await), "signed out once the database records it");
    assert_eq!(app.count("sessions").await, 0);
}

// covers: API-5
#[tokio::test]
async fn an_api_registration_on_a_full_database_is_the_out_of_space_problem() {
    use app::domain::integration::ApiScope;
    let app = spawn_app(app::testing::sqlite_file()).await;
    let (_, secret) = app::testing::integration_user(&app.state, "cpq", &[ApiScope::RegistrationsWrite], &[]).await;
    let api = reqwest::Client::new();
    let token: serde_json::Value = api
        .post(app.url("/api/v1/token"))
        .basic_auth("cpq", Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("POST /token")
        .json()
        .await
        .expect("token");
    let bearer = token["access_token"].as_str().expect("access_token").to_owned();
    limit_sqlite_pages(&app.state.db, sqlite_pages(&app.state.db).await).await;

    let response = first_refused(&app, StatusCode::CREATED, |username| {
        let mut body = serde_json::json!({ "user_type": "individual" });
        for (k, v) in app::testing::individual_fields(&username) {
            body[k] = serde_json::json!(v);
        }
        api.post(app.url("/api/v1/registrations")).bearer_auth(&bearer).json(&body).send()
    })
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header_value(&response, "retry-after").as_deref(), Some("60"));
    let reference = header_value(&response, "x-request-id").expect("the request's reference");
    let problem: serde_json::Value = response.json().await.expect("problem+json");
    assert_eq!(problem["type"], "/api/v1/problems/out-of-space", "{problem}");
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["reference"], reference.as_str());
}
