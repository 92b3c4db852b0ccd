//! Forgot login and set-password links over HTTP (LOG-4, LOG-6): the reply to `/forgot` does
//! not depend on what matched, and a used link refuses a plain post without changing anything.

use crate::common;

use app::backend::services::login_help::send_login_help;
use app::testing::strings;
use common::{for_each_app, location, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{header, Response, StatusCode};

const NEW_PASSWORD: &str = "violet anchor trumpet 42";

/// Everything a client can see of a reply, less what differs between any two requests (the
/// request's reference code, the date and the CSP nonce).
async fn visible(response: Response) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
    let status = response.status();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| (name.as_str().to_owned(), without_nonce(value.to_str().unwrap_or("?"))))
        .collect();
    headers.sort();
    (status, headers, response.bytes().await.expect("body").to_vec())
}

fn without_nonce(value: &str) -> String {
    match value.split_once("'nonce-") {
        Some((before, after)) => format!("{before}'nonce-*{}", &after[after.find('\'').unwrap_or(after.len())..]),
        None => value.to_owned(),
    }
}

async fn forgot_rpc(app: &TestApp, username: &str) -> Response {
    app.client
        .post(app.url("/rpc/auth/forgot"))
        .header(header::ORIGIN, app.origin())
        .header(header::ACCEPT, "application/json")
        .form(&[("username", username), ("email", "")])
        .send()
        .await
        .expect("POST")
}

async fn help_mails(app: &TestApp) -> Vec<String> {
    strings(&app.state, "SELECT text_body FROM outbox WHERE template = 'forgot_login' ORDER BY created_at", &[]).await
}

// covers: LOG-4
#[tokio::test]
async fn the_forgot_reply_is_the_same_for_known_and_unknown_usernames() {
    for_each_app(|app| async move {
        let label = app.label;
        assert_eq!(app.register("ann.lee").await.status(), StatusCode::SEE_OTHER, "[{label}] registration");
        let known = visible(app.post_form("/forgot", &[("username", "ann.lee"), ("email", "")]).await).await;
        let unknown = visible(app.post_form("/forgot", &[("username", "no.such.user"), ("email", "")]).await).await;
        assert_eq!(known.0, StatusCode::SEE_OTHER, "[{label}] post/redirect/get");
        assert_eq!(known, unknown, "[{label}] the plain post's reply reveals nothing");
        let known = visible(forgot_rpc(&app, "ann.lee").await).await;
        let unknown = visible(forgot_rpc(&app, "no.such.user").await).await;
        assert_eq!(known.0, StatusCode::OK, "[{label}]");
        assert_eq!(known, unknown, "[{label}] the server function's reply reveals nothing");

        let page = text_of(&app.page("/forgot?sent=1").await);
        assert!(page.contains("If we found a matching account, we have sent you an e-mail"), "[{label}] {page}");
        // The difference is only in what happens afterwards, off the response path.
        send_login_help(&app.state).await.expect("login help job");
        let mails = help_mails(&app).await;
        assert_eq!(mails.len(), 2, "[{label}] one e-mail per request for the known name, none for the other");
        assert!(mails.iter().all(|text| text.contains("ann.lee") && !text.contains("no.such.user")), "[{label}]");
    })
    .await;
}

// covers: LOG-4, LOG-6, REG-15
#[tokio::test]
async fn a_plain_post_to_a_used_link_changes_nothing() {
    for_each_app(|app| async move {
        let label = app.label;
        assert_eq!(app.register("ann.lee").await.status(), StatusCode::SEE_OTHER, "[{label}] registration");
        assert_eq!(app.post_form("/forgot", &[("username", "ann.lee")]).await.status(), StatusCode::SEE_OTHER);
        send_login_help(&app.state).await.expect("login help job");
        let text = help_mails(&app).await.pop().expect("an e-mail");
        let link = text.lines().find_map(|l| l.split_once("/password/reset/")).expect("a link").1.trim().to_owned();
        let path = format!("/password/reset/{link}");
        assert!(text_of(&app.page(&path).await).contains("Set password"), "[{label}] the form");

        let set = app.post_form(&path, &[("new_password", NEW_PASSWORD), ("new_password_confirm", NEW_PASSWORD)]).await;
        assert_eq!(set.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&set), "/login?notice=password_reset", "[{label}] not signed in: to the sign-in page");
        let hash = strings(&app.state, "SELECT password_hash FROM users WHERE username = 'ann.lee'", &[]).await;

        let other = "another fine password 9";
        let again = app.post_form(&path, &[("new_password", other), ("new_password_confirm", other)]).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "[{label}]");
        let page = text_of(&again.text().await.expect("body"));
        assert!(page.contains("This link is no longer valid"), "[{label}] {page}");
        let after = strings(&app.state, "SELECT password_hash FROM users WHERE username = 'ann.lee'", &[]).await;
        assert_eq!(after, hash, "[{label}] the password stayed as the first post set it");
        assert_eq!(app.sign_in("ann.lee", GOOD_PASSWORD).await.status(), StatusCode::UNAUTHORIZED, "[{label}] old");
        assert_eq!(app.sign_in("ann.lee", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER, "[{label}] new");

        let unknown = text_of(&app.page("/password/reset/not-a-real-link").await);
        assert!(unknown.contains("This link is no longer valid"), "[{label}] {unknown}");
        assert!(unknown.contains("Ask for a new link"), "[{label}] a way back to /forgot");
    })
    .await;
}
