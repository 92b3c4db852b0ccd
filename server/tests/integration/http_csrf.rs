//! SEC-3: every state-changing request must come from this site. Posts without an `Origin`
//! or from another origin are refused before they can write anything.

use crate::common;

use common::{as_map, for_each_app, individual_fields, TestApp, GOOD_PASSWORD};
use reqwest::{header, RequestBuilder, StatusCode};
use serde_json::json;

/// Every kind of state-changing endpoint: HTML form posts and server functions.
fn attempts(app: &TestApp) -> Vec<(&'static str, RequestBuilder)> {
    let client = &app.client;
    vec![
        ("POST /register/individual", client.post(app.url("/register/individual")).form(&individual_fields("ann.lee"))),
        ("POST /login", client.post(app.url("/login")).form(&[("username", "admin"), ("password", "wrong password")])),
        ("POST /logout", client.post(app.url("/logout"))),
        (
            "POST /rpc/auth/sign_in",
            client
                .post(app.url("/rpc/auth/sign_in"))
                .header(header::ACCEPT, "application/json")
                .form(&[("username", "admin"), ("password", "wrong password")]),
        ),
        (
            "POST /rpc/register/submit",
            client.post(app.url("/rpc/register/submit")).header(header::ACCEPT, "application/json").json(&json!({
                "type_key": "individual",
                "fields": individual_fields("ann.lee"),
                "ref_": null,
            })),
        ),
    ]
}

async fn assert_all_refused(app: &TestApp, origin: Option<&str>) {
    let label = app.label;
    let before = app.counts().await;
    for (what, request) in attempts(app) {
        let request = match origin {
            Some(origin) => request.header(header::ORIGIN, origin),
            None => request,
        };
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "[{label}] {what} with Origin {origin:?}");
    }
    assert_eq!(app.counts().await, before, "[{label}] nothing written (Origin {origin:?})");
    assert_eq!(app.session_cookie(), None, "[{label}] no session started (Origin {origin:?})");
}

// covers: SEC-3
#[tokio::test]
async fn posts_without_an_origin_are_refused_and_write_nothing() {
    for_each_app(|app| async move {
        assert_all_refused(&app, None).await;
    })
    .await;
}

// covers: SEC-3
#[tokio::test]
async fn posts_from_a_foreign_origin_are_refused_and_write_nothing() {
    for_each_app(|app| async move {
        assert_all_refused(&app, Some("https://evil.example")).await;
        assert_all_refused(&app, Some("null")).await;
        let lookalike = format!("{}.evil.example", app.origin());
        assert_all_refused(&app, Some(&lookalike)).await;
    })
    .await;
}

// covers: SEC-3
#[tokio::test]
async fn the_same_posts_from_this_site_are_accepted() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.register("ann.lee").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] the form post with this site's Origin");
        let response = app
            .client
            .post(app.url("/rpc/auth/sign_in"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .form(&as_map(&[("username", "ann.lee"), ("password", GOOD_PASSWORD)]))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}] the server function with this site's Origin");
    })
    .await;
}
