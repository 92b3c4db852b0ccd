//! Brute force and timing over HTTP (issue 11): a burst of wrong passwords for one username from
//! fifty browsers at once is stopped where SEC-4 says, and a known and an unknown username run
//! the same path at sign-in and at forgot login (LOG-1, LOG-4). The bench measures the medians;
//! these assert the work done is the same, which is what makes the medians equal.

use reqwest::StatusCode;

use crate::common::*;

/// SEC-4's default: from the fifth counted failure on, the next attempt must wait a second.
const DELAY_AFTER: usize = 5;
const INCORRECT: &str = "The username or password is incorrect.";
const LOCKED: &str = "Too many failed sign-in attempts";

// covers: SEC-4, LOG-1
#[tokio::test]
async fn fifty_parallel_wrong_passwords_from_fifty_browsers_verify_no_more_than_the_limit() {
    for db in app::testing::test_databases().await {
        // The per-address limit off: the username's own counter is what is under test.
        let app = spawn_app_with(db, |config| config.ip_rate_limit = false).await;
        app.registered_elsewhere("brute.target").await;
        let before = app.state.hasher.operations();

        let mut attempts = tokio::task::JoinSet::new();
        for i in 0..50 {
            let (client, _jar) = browser();
            let (url, origin) = (app.url("/login"), app.origin());
            attempts.spawn(async move {
                let form = [("username", "brute.target".to_owned()), ("password", format!("wrong guess {i}"))];
                let response = client.post(url).header("Origin", origin).form(&form).send().await.expect("POST");
                (response.status(), alert_text(&response.text().await.expect("body")))
            });
        }
        let (mut incorrect, mut locked) = (0, 0);
        while let Some(done) = attempts.join_next().await {
            let (status, alert) = done.expect("attempt");
            assert_eq!(status, StatusCode::UNAUTHORIZED, "[{}] {alert}", app.label);
            if alert.contains(INCORRECT) {
                incorrect += 1;
            } else if alert.contains(LOCKED) {
                locked += 1;
            } else {
                panic!("[{}] unexpected answer: {alert}", app.label);
            }
        }
        assert!(incorrect <= DELAY_AFTER, "[{}] {incorrect} of 50 were verified", app.label);
        assert_eq!(incorrect + locked, 50, "[{}]", app.label);
        assert_eq!(
            (app.state.hasher.operations() - before) as usize,
            incorrect,
            "[{}] a refused attempt costs no hash",
            app.label
        );
        // The right password, at once after the burst, is refused too: the counter holds.
        let right = app.sign_in("brute.target", GOOD_PASSWORD).await;
        assert_eq!(right.status(), StatusCode::UNAUTHORIZED, "[{}]", app.label);
        assert!(alert_text(&right.text().await.unwrap()).contains(LOCKED), "[{}]", app.label);
    }
}

/// The alert without its reference code (which differs per request by design).
fn without_reference(alert: &str) -> String {
    alert.split("(reference").next().unwrap_or(alert).trim().to_owned()
}

// covers: LOG-1, SEC-1
#[tokio::test]
async fn a_known_and_an_unknown_username_cost_one_verification_each_at_sign_in() {
    for_each_app(|app| async move {
        app.registered_elsewhere("known.user").await;
        let mut answers = Vec::new();
        for username in ["known.user", "nobody.here"] {
            let before = app.state.hasher.operations();
            let response = app.sign_in(username, "not the password 1").await;
            let status = response.status();
            let alert = without_reference(&alert_text(&response.text().await.unwrap()));
            assert_eq!(app.state.hasher.operations() - before, 1, "[{}] {username}: one verification", app.label);
            answers.push((status, alert));
        }
        assert_eq!(answers[0], answers[1], "[{}] the same answer", app.label);
        assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED, "[{}]", app.label);
    })
    .await;
}

// covers: LOG-4
#[tokio::test]
async fn a_known_and_an_unknown_username_take_the_same_path_at_forgot_login() {
    for_each_app(|app| async move {
        app.registered_elsewhere("known.user").await;
        let mut answers = Vec::new();
        for username in ["known.user", "nobody.here"] {
            let (queued, hashes, mail) =
                (app.count("forgot_requests").await, app.state.hasher.operations(), app.count("outbox").await);
            let response = app.post_form("/forgot", &[("username", username), ("email", "")]).await;
            answers.push((response.status(), location(&response)));
            // Only the request is recorded: nothing is looked up, hashed or sent on the response path.
            assert_eq!(app.count("forgot_requests").await, queued + 1, "[{}] {username}", app.label);
            assert_eq!(app.state.hasher.operations(), hashes, "[{}] {username}", app.label);
            assert_eq!(app.count("outbox").await, mail, "[{}] {username}", app.label);
        }
        assert_eq!(answers[0], answers[1], "[{}] the same answer", app.label);
        assert_eq!(answers[0].0, StatusCode::SEE_OTHER, "[{}]", app.label);
    })
    .await;
}
