//! The profile over HTTP (PRO-1, PRO-2, PRO-4, REG-15, SEC-5): plain posts without JavaScript
//! save and redirect, refused ones render the page again with 422 and the errors; without a
//! session pages and posts go to sign-in and server functions refuse; a password change keeps
//! this browser signed in (with a new session ID) and ends the others.

use crate::common;

use app::testing::{confirmation_token, strings};
use common::{browser, for_each_app, location, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{header, StatusCode};

const PROFILE: [(&str, &str); 5] = [
    ("first_name", "Annie"),
    ("last_name", "Lee"),
    ("email", "ann.lee@example.com"),
    ("phone", "+1 415 555 0199"),
    ("language", "en"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    PROFILE.iter().map(|(k, v)| changes.iter().find(|(c, _)| c == k).copied().unwrap_or((*k, *v))).collect()
}

async fn signed_in_ann(app: &TestApp) {
    assert_eq!(app.register("ann.lee").await.status(), StatusCode::SEE_OTHER, "[{}] registration", app.label);
}

async fn first_name(app: &TestApp) -> Vec<String> {
    strings(
        &app.state,
        "SELECT p.first_name FROM persons p JOIN users u ON u.person_id = p.id WHERE u.lower_username = 'ann.lee'",
        &[],
    )
    .await
}

// covers: PRO-1, REG-14, REG-15
#[tokio::test]
async fn a_plain_post_saves_and_a_refused_one_shows_the_errors_with_422() {
    for_each_app(|app| async move {
        let label = app.label;
        signed_in_ann(&app).await;
        let page = app.page("/profile").await;
        assert!(page.contains(r#"value="ann.lee@example.com""#), "[{label}] pre-filled");
        assert!(page.contains("/password/change"), "[{label}] the way to change the password");

        let saved = app.post_form("/profile", &PROFILE).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&saved), "/profile?notice=saved", "[{label}]");
        let page = app.page("/profile?notice=saved").await;
        assert!(page.contains(r#"value="Annie""#) && page.contains("+1 415 555 0199"), "[{label}]");
        assert!(text_of(&page).contains("Your personal information has been saved."), "[{label}]");

        let refused = app.post_form("/profile", &with(&[("first_name", ""), ("phone", "call me")])).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = refused.text().await.unwrap();
        assert!(html.contains(r#"id="first_name-error""#) && html.contains(r#"id="phone-error""#), "[{label}] {html}");
        assert!(html.contains(r#"value="call me""#), "[{label}] the entered values are kept");
        assert_eq!(first_name(&app).await, ["Annie"], "[{label}] nothing saved");
    })
    .await;
}

// covers: PRO-1, PRO-2, PRO-4, SEC-5
#[tokio::test]
async fn without_a_session_pages_and_posts_go_to_sign_in_and_server_functions_refuse() {
    for_each_app(|app| async move {
        let label = app.label;
        app.registered_elsewhere("ann.lee").await;
        for page in ["/profile", "/profile/emails", "/profile/preferences"] {
            let response = app.get(page).await;
            assert_eq!(response.status(), StatusCode::FOUND, "[{label}] GET {page}");
            assert!(location(&response).starts_with("/login?ref="), "[{label}] {page}");
        }
        let post = app.post_form("/profile", &PROFILE).await;
        assert_eq!(post.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&post), "/login?ref=%2Fprofile", "[{label}]");
        for (rpc, body) in [
            ("/rpc/profile/save", PROFILE.to_vec()),
            ("/rpc/profile/emails/add", vec![("email", "x@example.com")]),
            ("/rpc/profile/preferences/save", vec![("marketing_opt_in", "on"), ("language", "en")]),
            ("/rpc/profile/details", vec![]),
        ] {
            let response = app
                .client
                .post(app.url(rpc))
                .header(header::ORIGIN, app.origin())
                .header(header::ACCEPT, "application/json")
                .form(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "[{label}] {rpc}");
        }
        assert_eq!(first_name(&app).await, ["Ann"], "[{label}] nothing changed");
        assert_eq!(app.count("email_confirmations").await, 0, "[{label}]");
    })
    .await;
}

// covers: PRO-1, PRO-2, REG-15
#[tokio::test]
async fn an_e_mail_change_is_confirmed_by_a_post_from_the_link_page() {
    for_each_app(|app| async move {
        let label = app.label;
        signed_in_ann(&app).await;
        let asked = app.post_form("/profile", &with(&[("email", "ann.new@example.com")])).await;
        assert_eq!(location(&asked), "/profile?notice=confirmation_sent", "[{label}]");
        let page = text_of(&app.page("/profile?notice=confirmation_sent").await);
        assert!(page.contains("We have sent a confirmation link to ann.new@example.com"), "[{label}] {page}");

        let token = confirmation_token(&app.state, "ann.new@example.com").await;
        let link = format!("/profile/email/confirm/{token}");
        let shown = app.page(&link).await;
        assert!(text_of(&shown).contains("Confirm that ann.new@example.com is your e-mail address"), "[{label}]");
        assert_eq!(app.count("email_addresses").await, 1, "[{label}] opening the link changes nothing");

        let confirmed = app.post_form(&link, &[("x", "")]).await;
        assert_eq!(confirmed.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&confirmed), "/profile/emails?notice=confirmed", "[{label}]");
        let emails = text_of(&app.page("/profile/emails?notice=confirmed").await);
        assert!(emails.contains("Your e-mail address has been confirmed."), "[{label}] {emails}");
        let primary = strings(&app.state, "SELECT address FROM email_addresses WHERE is_primary = 1", &[]).await;
        assert_eq!(primary, ["ann.new@example.com"], "[{label}]");

        let again = app.post_form(&link, &[("x", "")]).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "[{label}]");
        assert!(text_of(&again.text().await.unwrap()).contains("This link is no longer valid"), "[{label}]");
        assert!(text_of(&app.page(&link).await).contains("This link is no longer valid"), "[{label}]");
    })
    .await;
}

// covers: PRO-1, SEC-2, LOG-6
#[tokio::test]
async fn a_password_change_keeps_this_browser_signed_in_and_ends_the_others() {
    for_each_app(|app| async move {
        let label = app.label;
        signed_in_ann(&app).await;
        let (other, _jar) = browser();
        let signed = other
            .post(app.url("/login"))
            .header(header::ORIGIN, app.origin())
            .form(&[("username", "ann.lee"), ("password", GOOD_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), StatusCode::SEE_OTHER, "[{label}] the other browser signs in");
        let before = app.session_cookie().expect("a session");
        let new = "violet anchor trumpet 42";
        let changed = app
            .post_form(
                "/password/change",
                &[("current_password", GOOD_PASSWORD), ("new_password", new), ("new_password_confirm", new)],
            )
            .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_ne!(app.session_cookie(), Some(before), "[{label}] SEC-2: a new session ID");
        assert_eq!(app.get("/profile").await.status(), StatusCode::OK, "[{label}] this browser stays signed in");
        let elsewhere = other.get(app.url("/profile")).send().await.unwrap();
        assert_eq!(elsewhere.status(), StatusCode::FOUND, "[{label}] the other session has ended");
    })
    .await;
}

// covers: PRO-8
#[tokio::test]
async fn no_payment_cards_are_stored_or_offered() {
    for_each_app(|app| async move {
        let label = app.label;
        signed_in_ann(&app).await;
        let page = text_of(&app.page("/profile").await).to_lowercase();
        assert!(page.contains("personal information"), "[{label}] the profile is shown");
        assert!(!page.contains("payment") && !page.contains("card"), "[{label}] no payment book is offered: {page}");
        for path in ["/profile/payments", "/profile/cards", "/profile/payment-methods"] {
            assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND, "[{label}] {path}");
        }
        // Nothing in the schema could hold card data.
        let catalog = if label == "postgres" {
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        } else {
            "SELECT m.name || '.' || c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table'"
        };
        let columns = strings(&app.state, catalog, &[]).await;
        assert!(columns.len() > 20, "[{label}] the catalog query sees the schema: {columns:?}");
        let card = columns.iter().filter(|c| c.contains("card")).count();
        assert_eq!(card, 0, "[{label}] {columns:?}");
    })
    .await;
}
