//! Forgot login and set-password links (LOG-4, LOG-6): who gets which links, and that a link
//! works once, for 60 minutes, and ends everything else the user had open.

use app::backend::clock::MINUTE_MS;
use app::backend::services::login_help::{self, reset_link_holder};
use app::backend::store::login_help as login_help_store;
use app::backend::store::sessions;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::{FieldError, Language, NoCommonList, Password, PasswordContext, PasswordPolicy};
use app::testing::{
    company, count_rows, exec, for_each_database, forgot, individual_fields, migrated_state, register, reset_password,
    sign_in, staff, strings, with, Fields, GOOD_PASSWORD, T0,
};

const NEW_PASSWORD: &str = "violet anchor trumpet 42";

async fn registered(state: &AppState, fields: &Fields) -> String {
    register(state, "individual", fields, Language::English).await.unwrap_or_else(|e| panic!("register: {e:?}")).user_id
}

/// Every forgot-login e-mail as (recipient, text body).
async fn help_mails(state: &AppState) -> Vec<(String, String)> {
    let recipients =
        strings(state, "SELECT recipient FROM outbox WHERE template = 'forgot_login' ORDER BY created_at, id", &[])
            .await;
    let bodies =
        strings(state, "SELECT text_body FROM outbox WHERE template = 'forgot_login' ORDER BY created_at, id", &[])
            .await;
    recipients.into_iter().zip(bodies).collect()
}

/// The (username, token) pairs a forgot-login e-mail lists.
fn links(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut username = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("Username: ") {
            username = Some(name.trim().to_owned());
        } else if let Some((_, token)) = line.split_once("/password/reset/") {
            pairs.push((username.take().expect("a username before its link"), token.trim().to_owned()));
        }
    }
    pairs
}

/// The token of the only link of the last forgot-login e-mail.
async fn last_token(state: &AppState) -> String {
    let (_, text) = help_mails(state).await.pop().expect("a forgot-login e-mail");
    let mut found = links(&text);
    assert_eq!(found.len(), 1, "one link: {text}");
    found.pop().unwrap().1
}

async fn hash_of(state: &AppState, user_id: &str) -> String {
    strings(state, "SELECT password_hash FROM users WHERE id = $1", &[user_id]).await.concat()
}

fn refused_as_dead(result: Result<(), ServiceError>) -> bool {
    matches!(result, Err(ServiceError::NotFound))
}

// covers: LOG-4, LOG-6, SEC-7
#[tokio::test]
async fn a_link_sets_the_password_once_and_only_its_hash_is_stored() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = registered(&state, &individual_fields("ann.lee")).await;
        assert_eq!(forgot(&state, "Ann.Lee", "").await.unwrap(), 1, "[{label}] one e-mail");
        let token = last_token(&state).await;
        assert!(token.len() >= 43, "[{label}] at least 256 bits: {token}");
        let stored = strings(&state, "SELECT token_hash FROM password_tokens", &[]).await;
        assert!(!stored.contains(&token), "[{label}] the token itself is never stored");
        let (_, text) = help_mails(&state).await.pop().unwrap();
        assert!(!text.contains(GOOD_PASSWORD), "[{label}] no password is ever e-mailed");

        reset_password(&state, &token, NEW_PASSWORD, NEW_PASSWORD).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(sign_in(&state, "ann.lee", NEW_PASSWORD).await.is_ok(), "[{label}] the new password works");
        let after = hash_of(&state, &ann).await;
        let again = reset_password(&state, &token, "another fine password 9", "another fine password 9").await;
        assert!(refused_as_dead(again), "[{label}] a used link is refused");
        // Two posts racing past the adapter's look-up: the use case itself uses a link once.
        let who = PasswordContext { username: "ann.lee", first_name: "Ann", last_name: "Lee" };
        let racing = Password::parse("another fine password 9".into(), &PasswordPolicy::default(), &who, &NoCommonList);
        let raced = login_help::reset_password(&state, &token, racing.unwrap()).await;
        assert!(refused_as_dead(raced), "[{label}] the use case refuses a used link too");
        assert_eq!(hash_of(&state, &ann).await, after, "[{label}] and changes nothing");
        let audit = strings(&state, "SELECT action FROM audit_log WHERE subject_id = $1", &[&ann]).await;
        assert!(audit.contains(&"user.password_reset".to_owned()), "[{label}] audited: {audit:?}");
    })
    .await;
}

// covers: LOG-4
#[tokio::test]
async fn a_link_expires_sixty_minutes_after_it_was_sent() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let ann = registered(&state, &individual_fields("ann.lee")).await;
        forgot(&state, "", "ann.lee@example.com").await.unwrap();
        let token = last_token(&state).await;
        clock.advance_ms(60 * MINUTE_MS - 1);
        assert!(reset_link_holder(&state, &token).await.unwrap().is_some(), "[{label}] live for 60 minutes");
        clock.advance_ms(1);
        assert!(reset_link_holder(&state, &token).await.unwrap().is_none(), "[{label}] dead at 60 minutes");
        let before = hash_of(&state, &ann).await;
        assert!(refused_as_dead(reset_password(&state, &token, NEW_PASSWORD, NEW_PASSWORD).await), "[{label}]");
        assert_eq!(hash_of(&state, &ann).await, before, "[{label}] nothing changed");
    })
    .await;
}

// covers: LOG-4
#[tokio::test]
async fn expired_links_are_deleted_in_bounded_batches_and_live_ones_are_kept() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        registered(&state, &individual_fields("ann.lee")).await;
        forgot(&state, "ann.lee", "").await.unwrap();
        forgot(&state, "ann.lee", "").await.unwrap();
        clock.advance_ms(30 * MINUTE_MS);
        forgot(&state, "ann.lee", "").await.unwrap();
        let live = last_token(&state).await;
        assert_eq!(count_rows(&state.db, "password_tokens").await, 3, "[{label}] three links");
        clock.advance_ms(30 * MINUTE_MS);
        let mut conn = state.db.pool().acquire().await.unwrap();
        let now = state.now_ms();
        assert_eq!(login_help_store::delete_expired_tokens(&mut conn, now, 1).await.unwrap(), 1, "[{label}] bounded");
        assert_eq!(login_help_store::delete_expired_tokens(&mut conn, now, 10).await.unwrap(), 1, "[{label}]");
        assert_eq!(login_help_store::delete_expired_tokens(&mut conn, now, 10).await.unwrap(), 0, "[{label}]");
        drop(conn);
        assert_eq!(count_rows(&state.db, "password_tokens").await, 1, "[{label}] the live link is kept");
        assert!(reset_link_holder(&state, &live).await.unwrap().is_some(), "[{label}] and still works");
    })
    .await;
}

// covers: LOG-4, SEC-2
#[tokio::test]
async fn using_one_link_invalidates_the_users_other_links_and_ends_all_their_sessions() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = registered(&state, &individual_fields("ann.lee")).await;
        let bob = registered(&state, &with(individual_fields("bob.ray"), &[("email", "bob@example.com")])).await;
        forgot(&state, "ann.lee", "").await.unwrap();
        let first = last_token(&state).await;
        forgot(&state, "ann.lee", "").await.unwrap();
        let second = last_token(&state).await;
        forgot(&state, "bob.ray", "").await.unwrap();
        let bobs = last_token(&state).await;
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            for (id, user) in [("s-ann-1", &ann), ("s-ann-2", &ann), ("s-bob", &bob)] {
                sessions::insert_new(&mut conn, id, "{}", Some(user), T0 + 60 * MINUTE_MS).await.unwrap();
            }
        }
        reset_password(&state, &second, NEW_PASSWORD, NEW_PASSWORD).await.unwrap();
        assert!(refused_as_dead(reset_password(&state, &first, NEW_PASSWORD, NEW_PASSWORD).await), "[{label}] first");
        let left = strings(&state, "SELECT id FROM sessions ORDER BY id", &[]).await;
        assert_eq!(left, vec!["s-bob".to_owned()], "[{label}] only Ann's sessions ended");
        assert!(reset_link_holder(&state, &bobs).await.unwrap().is_some(), "[{label}] Bob's link still works");
    })
    .await;
}

// covers: LOG-4 (issue 11: a request whose handling fails is retried by the next run, not
// after its lease: the soak's full disk lost a forgot-login mail that way)
#[tokio::test]
async fn a_request_whose_handling_fails_is_let_go_and_the_next_run_sends_its_mail() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        registered(&state, &individual_fields("ann.lee")).await;
        registered(&state, &individual_fields("bob.ray")).await;
        // The outbox cannot be written (as on a full disk): queuing the e-mail fails.
        exec(&state, "ALTER TABLE outbox RENAME TO outbox_away", &[]).await;
        assert!(forgot(&state, "ann.lee", "").await.is_err(), "[{label}] the job reports the failure");
        let leased =
            strings(&state, "SELECT COALESCE(CAST(lease_until AS TEXT), 'none') FROM forgot_requests", &[]).await;
        assert_eq!(leased, ["none"], "[{label}] the request is kept and let go");
        exec(&state, "ALTER TABLE outbox_away RENAME TO outbox", &[]).await;

        // The next run, at the same moment (no lease to wait out), sends it, and handles the rest.
        assert_eq!(forgot(&state, "bob.ray", "").await.unwrap(), 2, "[{label}] both e-mails queued");
        let to: Vec<String> = help_mails(&state).await.into_iter().map(|(to, _)| to).collect();
        assert_eq!(to.len(), 2, "[{label}] one e-mail each: {to:?}");
        assert_eq!(count_rows(&state.db, "forgot_requests").await, 0, "[{label}] nothing left queued");
    })
    .await;
}

// covers: LOG-4 (issue 11: a claim that could be neither handled nor let go, as on a full
// disk, is taken again once its short lease runs out, and mailed once)
#[tokio::test]
async fn a_claim_that_was_never_let_go_is_taken_again_after_its_lease_and_mailed_once() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        registered(&state, &individual_fields("ann.lee")).await;
        login_help::request_login_help(
            &state,
            &app::domain::LoginHelpRequest { username: Some("ann.lee".into()), email: None },
        )
        .await
        .unwrap();
        // Another instance claims it and is never heard of again (its writes refused, or gone).
        let claimed = login_help_store::claim_requests(&state.db, T0, login_help::LEASE_MS, 20).await.unwrap();
        assert_eq!(claimed.len(), 1, "[{label}]");
        assert_eq!(login_help::send_login_help(&state).await.unwrap(), 0, "[{label}] leased: left alone");

        // Fifteen seconds on, not five minutes: the claim has run out and is taken again.
        clock.advance_ms(15_001);
        assert_eq!(login_help::send_login_help(&state).await.unwrap(), 1, "[{label}] taken again and mailed");
        assert_eq!(help_mails(&state).await.len(), 1, "[{label}]");
        assert_eq!(count_rows(&state.db, "forgot_requests").await, 0, "[{label}]");
    })
    .await;
}

// covers: LOG-4 (issue 11: the database gone is "busy, try again" (503), not a 500)
#[tokio::test]
async fn a_request_while_the_database_is_unreachable_is_answered_busy() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        state.db.pool().close().await;
        let form = app::domain::ForgotLoginForm { username: "ann.lee".into(), email: String::new() };
        let err = app::api::auth::forgot::forgot_for(&state, &form).await.expect_err("no database");
        let answer = app::api::ssr::to_app_error(err, "R-1".into());
        assert!(matches!(answer, app::api::AppError::Busy { .. }), "[{label}] {answer:?}");
        assert_eq!(answer.status(), http::StatusCode::SERVICE_UNAVAILABLE, "[{label}]");
    })
    .await;
}

// covers: LOG-4
#[tokio::test]
async fn an_unknown_name_or_address_creates_no_link_and_sends_no_mail() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        registered(&state, &individual_fields("ann.lee")).await;
        for (username, email) in [
            ("nobody", ""),
            ("", "nobody@example.com"),
            ("ann.lee", "someone.else@example.com"),
            ("nobody", "ann.lee@example.com"),
        ] {
            assert_eq!(forgot(&state, username, email).await.unwrap(), 0, "[{label}] {username}/{email}");
        }
        assert_eq!(count_rows(&state.db, "password_tokens").await, 0, "[{label}] no link");
        assert!(help_mails(&state).await.is_empty(), "[{label}] no mail");
        assert_eq!(count_rows(&state.db, "forgot_requests").await, 0, "[{label}] every request handled");
        let blank = forgot(&state, " ", "").await;
        let Err(ServiceError::Validation(errors)) = blank else { panic!("[{label}] blank: {blank:?}") };
        assert_eq!(errors, vec![FieldError::new("username", "Enter your username or your e-mail address")]);
    })
    .await;
}

// covers: LOG-4, REJ-1
#[tokio::test]
async fn the_mail_lists_every_live_username_of_the_address_and_no_released_one() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        registered(&state, &individual_fields("ann.lee")).await;
        registered(&state, &individual_fields("ann.home")).await;
        let (_pending, _) = staff(&state, &acme, "ann.work").await;
        exec(&state, "UPDATE email_addresses SET address = 'ann.lee@example.com' WHERE person_id = (SELECT person_id FROM users WHERE username = $1)", &["ann.work"]).await;
        let gone = registered(&state, &individual_fields("ann.gone")).await;
        exec(&state, &format!("UPDATE users SET status = 'rejected', released_at = {T0} WHERE id = $1"), &[&gone]).await;
        let deleted = registered(&state, &individual_fields("ann.deleted")).await;
        exec(&state, &format!("UPDATE users SET status = 'deleted', released_at = {T0} WHERE id = $1"), &[&deleted]).await;

        assert_eq!(forgot(&state, "", "ANN.LEE@Example.com").await.unwrap(), 1, "[{label}] one e-mail");
        let mails = help_mails(&state).await;
        assert_eq!(mails.len(), 1, "[{label}]");
        let (to, text) = &mails[0];
        assert_eq!(to.to_lowercase(), "ann.lee@example.com", "[{label}]");
        let names: Vec<String> = links(text).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, vec!["ann.home", "ann.lee", "ann.work"], "[{label}] live logins, pending included");
        assert!(!text.contains("ann.gone") && !text.contains("ann.deleted"), "[{label}] never a released one");
        assert_eq!(count_rows(&state.db, "password_tokens").await, 3, "[{label}] one link each");

        forgot(&state, "ann.home", "ann.lee@example.com").await.unwrap();
        let (_, text) = help_mails(&state).await.pop().unwrap();
        let names: Vec<String> = links(&text).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, vec!["ann.home"], "[{label}] both fields: the one login matching both");
    })
    .await;
}

// covers: LOG-2, LOG-6
#[tokio::test]
async fn a_pending_user_can_set_a_password_but_still_cannot_sign_in() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        staff(&state, &acme, "ann.work").await;
        forgot(&state, "ann.work", "").await.unwrap();
        let token = last_token(&state).await;
        reset_password(&state, &token, NEW_PASSWORD, NEW_PASSWORD).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let signing_in = sign_in(&state, "ann.work", NEW_PASSWORD).await;
        assert!(matches!(signing_in, Err(ServiceError::AwaitingApproval)), "[{label}] {signing_in:?}");
    })
    .await;
}
