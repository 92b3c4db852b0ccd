//! SEC-4 targeted lockout (OWASP "device cookie"): a locked username still lets in a browser
//! that has signed in as that user before, with a smaller failure budget of its own. Through
//! the plain form and the server function, on SQLite and PostgreSQL.

use crate::common;

use std::sync::Arc;

use app::testing::test_databases;
use common::{alert_text, browser, individual_fields, location, spawn_app_with, TestApp, GOOD_PASSWORD};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{header, Client, StatusCode};

const DEVICE_COOKIE: &str = "gatehouse_device";
const WRONG: &str = "not the password at all";

/// Per-address limits off: these tests make many attempts from one address on purpose.
async fn each_app<F, Fut>(mut scenario: F)
where
    F: FnMut(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in test_databases().await {
        scenario(spawn_app_with(db, |config| config.ip_rate_limit = false).await).await;
    }
}

async fn register(app: &TestApp, username: &str) {
    let (client, _jar) = browser();
    let response = client
        .post(app.url("/register/individual"))
        .header(header::ORIGIN, app.origin())
        .form(&individual_fields(username))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] registration of {username}", app.label);
}

/// Posts the sign-in form from `client`: the status and, when refused, the alert's text.
async fn sign_in(app: &TestApp, client: &Client, username: &str, password: &str) -> (StatusCode, String) {
    let response = client
        .post(app.url("/login"))
        .header(header::ORIGIN, app.origin())
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::SEE_OTHER {
        return (status, location(&response));
    }
    (status, alert_text(&response.text().await.unwrap()))
}

async fn sign_out(app: &TestApp, client: &Client) {
    let response = client.post(app.url("/logout")).header(header::ORIGIN, app.origin()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] sign out", app.label);
}

fn device_cookie(app: &TestApp, jar: &Jar) -> Option<String> {
    let header = jar.cookies(&app.origin().parse().unwrap())?;
    header.to_str().ok()?.split(';').map(str::trim).find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == DEVICE_COOKIE).then(|| value.to_owned())
    })
}

/// A fresh browser that carries `value` as its device cookie.
fn browser_with_device_cookie(app: &TestApp, value: &str) -> (Client, Arc<Jar>) {
    let (client, jar) = browser();
    jar.add_cookie_str(&format!("{DEVICE_COOKIE}={value}"), &app.origin().parse().unwrap());
    (client, jar)
}

/// Twenty failures from a stranger's browser, each after any delay: `username` is locked.
async fn lock(app: &TestApp, username: &str) {
    let (stranger, _jar) = browser();
    for attempt in 1..=20 {
        app.clock.advance_ms(65_000);
        let (status, alert) = sign_in(app, &stranger, username, WRONG).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{}] failure {attempt}: {alert}", app.label);
        assert!(alert.contains("username or password"), "[{}] failure {attempt}: {alert}", app.label);
    }
    let (status, alert) = sign_in(app, &stranger, username, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "[{}] locked", app.label);
    assert!(alert.contains("Too many failed"), "[{}] locked: {alert}", app.label);
}

/// Ann's own browser, which has signed in once (and out again), and its device cookie.
async fn anns_browser(app: &TestApp) -> (Client, Arc<Jar>, String) {
    let (client, jar) = browser();
    let (status, _) = sign_in(app, &client, "ann.lee", GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{}] Ann signs in", app.label);
    let cookie = device_cookie(app, &jar).unwrap_or_else(|| panic!("[{}] a device cookie after sign-in", app.label));
    sign_out(app, &client).await;
    (client, jar, cookie)
}

// covers: SEC-4
#[tokio::test]
async fn a_locked_username_still_lets_in_the_browser_that_signed_in_before() {
    each_app(|app| async move {
        let label = app.label;
        register(&app, "ann.lee").await;
        let (anns, _jar, _cookie) = anns_browser(&app).await;
        lock(&app, "ann.lee").await;
        let (status, landing) = sign_in(&app, &anns, "Ann.Lee", GOOD_PASSWORD).await;
        assert_eq!((status, landing.as_str()), (StatusCode::SEE_OTHER, "/"), "[{label}] Ann's browser gets in");
        let (other, _jar) = browser();
        let (status, alert) = sign_in(&app, &other, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{label}] another browser is still locked out: {alert}");
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn the_trusted_browser_has_its_own_smaller_budget_of_failures() {
    each_app(|app| async move {
        let label = app.label;
        register(&app, "ann.lee").await;
        let (anns, _jar, _cookie) = anns_browser(&app).await;
        lock(&app, "ann.lee").await;
        for attempt in 1..=4 {
            let (status, alert) = sign_in(&app, &anns, "ann.lee", WRONG).await;
            assert!(alert.contains("username or password"), "[{label}] typo {attempt}: {status} {alert}");
        }
        let (status, _) = sign_in(&app, &anns, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] four typos and then the right password");
        sign_out(&app, &anns).await;
        for attempt in 1..=5 {
            let (status, alert) = sign_in(&app, &anns, "ann.lee", WRONG).await;
            assert!(alert.contains("username or password"), "[{label}] failure {attempt}: {status} {alert}");
        }
        let (status, alert) = sign_in(&app, &anns, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{label}] five failures use up the browser's budget");
        assert!(alert.contains("Too many failed"), "[{label}] {alert}");
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn forged_tampered_and_other_users_device_cookies_are_ignored() {
    each_app(|app| async move {
        let label = app.label;
        register(&app, "ann.lee").await;
        register(&app, "bob.ray").await;
        let (_anns, _jar, genuine) = anns_browser(&app).await;
        let (bobs, bobs_jar) = browser();
        assert_eq!(sign_in(&app, &bobs, "bob.ray", GOOD_PASSWORD).await.0, StatusCode::SEE_OTHER, "[{label}] Bob");
        let bobs_cookie = device_cookie(&app, &bobs_jar).expect("Bob's device cookie");
        sign_out(&app, &bobs).await;
        lock(&app, "ann.lee").await;

        // The last character of the value is the username's: change it.
        let mut tampered = genuine.clone();
        tampered.pop();
        tampered.push('x');
        let forged = format!("{}{}", "A".repeat(43) + "=", "0123456789abcdef0123456789abcdef:ann.lee");
        for (what, value) in [("tampered", tampered), ("forged", forged), ("Bob's", bobs_cookie)] {
            let (client, _jar) = browser_with_device_cookie(&app, &value);
            let (status, alert) = sign_in(&app, &client, "ann.lee", GOOD_PASSWORD).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "[{label}] a {what} cookie: {alert}");
            assert!(alert.contains("Too many failed"), "[{label}] a {what} cookie: {alert}");
        }
        let (client, _jar) = browser_with_device_cookie(&app, &genuine);
        assert_eq!(
            sign_in(&app, &client, "ann.lee", GOOD_PASSWORD).await.0,
            StatusCode::SEE_OTHER,
            "[{label}] the genuine cookie, copied as is, still works"
        );
    })
    .await;
}

// covers: SEC-4, SEC-2
#[tokio::test]
async fn the_device_cookie_is_http_only_lax_long_lived_and_set_by_both_doors() {
    each_app(|app| async move {
        let label = app.label;
        register(&app, "ann.lee").await;
        let (client, _jar) = browser();
        let response = client
            .post(app.url("/login"))
            .header(header::ORIGIN, app.origin())
            .form(&[("username", "ann.lee"), ("password", GOOD_PASSWORD)])
            .send()
            .await
            .unwrap();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let device = set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{DEVICE_COOKIE}=")))
            .unwrap_or_else(|| panic!("[{label}] no device cookie in {set_cookies:?}"));
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=15552000"] {
            assert!(device.contains(attribute), "[{label}] {attribute} in {device}");
        }
        assert!(!device.contains("Secure"), "[{label}] plain http here: {device}");

        let (client, jar) = browser();
        let response = client
            .post(app.url("/rpc/auth/sign_in"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .form(&[("username", "ann.lee"), ("password", GOOD_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}] server function");
        assert!(device_cookie(&app, &jar).is_some(), "[{label}] the server function sets it too");
    })
    .await;
}
