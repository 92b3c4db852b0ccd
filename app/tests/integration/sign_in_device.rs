//! SEC-4 targeted lockout through the use case: a genuine device cookie for the username lets a
//! browser past that username's lock, on a small failure budget of its own, counted before
//! verifying like every attempt; the signing key is one for every instance.

use std::sync::Arc;

use app::backend::clock::MINUTE_MS;
use app::backend::services::sign_in::SignedIn;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::Language;
use app::testing::register;
use app::testing::{
    count_rows, for_each_database, individual_fields, migrated_state, postgres, strings, TestDb, GOOD_PASSWORD,
};
use app::testing::{sign_in, sign_in_from};

const T0: i64 = 1_800_000_000_000;
const WRONG: &str = "not the password at all";

async fn registered(state: &AppState, username: &str) {
    let mut fields = individual_fields(username);
    fields.insert("email".into(), format!("{username}@example.com"));
    register(state, "individual", &fields, Language::English).await.unwrap_or_else(|e| panic!("register: {e:?}"));
}

fn outcome(result: &Result<SignedIn, ServiceError>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(e) => format!("{e:?}"),
    }
}

/// What the browser sends back: the `name=value` part of the `Set-Cookie` value.
fn cookie_of(signed_in: &SignedIn) -> String {
    signed_in.device_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// A browser that has signed in as `username` once: its `Cookie` header.
async fn trusted_browser(state: &AppState, username: &str) -> String {
    cookie_of(&sign_in(state, username, GOOD_PASSWORD).await.unwrap_or_else(|e| panic!("sign in {username}: {e:?}")))
}

/// Twenty failures from strangers, each after any delay: `username` is locked.
async fn lock(state: &AppState, clock: &TestClock, username: &str) {
    for _ in 0..20 {
        clock.advance_ms(65_000);
        let result = sign_in(state, username, WRONG).await;
        assert!(matches!(result, Err(ServiceError::SignInFailed)), "{}", outcome(&result));
    }
    let locked = sign_in(state, username, GOOD_PASSWORD).await;
    assert!(matches!(locked, Err(ServiceError::Locked)), "locked: {}", outcome(&locked));
}

// covers: SEC-4
#[tokio::test]
async fn only_a_genuine_device_cookie_for_the_username_gets_past_its_lock() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        registered(&state, "ann.lee").await;
        registered(&state, "bob.ray").await;
        let anns = trusted_browser(&state, "ann.lee").await;
        let bobs = trusted_browser(&state, "bob.ray").await;
        lock(&state, &clock, "ann.lee").await;
        let tampered = anns.replace("ann.lee", "ann.lea");
        let forged = format!("gatehouse_device={}0123456789abcdef0123456789abcdef:ann.lee", "A".repeat(43) + "=");
        for (what, header) in [("Bob's cookie", bobs), ("a tampered cookie", tampered), ("a forged cookie", forged)] {
            let result = sign_in_from(&state, "ann.lee", GOOD_PASSWORD, &header).await;
            assert!(matches!(result, Err(ServiceError::Locked)), "[{label}] {what}: {}", outcome(&result));
        }
        let result = sign_in_from(&state, "ANN.LEE", GOOD_PASSWORD, &format!("theme=dark; {anns}")).await;
        assert!(result.is_ok(), "[{label}] Ann's own browser: {}", outcome(&result));
        let still = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(still, Err(ServiceError::Locked)), "[{label}] the lock stays for others");
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn a_trusted_browser_is_distrusted_for_the_lock_period_after_five_failures() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        registered(&state, "ann.lee").await;
        let anns = trusted_browser(&state, "ann.lee").await;
        lock(&state, &clock, "ann.lee").await;
        for failure in 1..=5 {
            let result = sign_in_from(&state, "ann.lee", WRONG, &anns).await;
            assert!(matches!(result, Err(ServiceError::SignInFailed)), "[{label}] failure {failure}");
        }
        let refused = sign_in_from(&state, "ann.lee", GOOD_PASSWORD, &anns).await;
        assert!(matches!(refused, Err(ServiceError::Locked)), "[{label}] {}", outcome(&refused));
        let (username_failures,): (i64,) =
            sqlx::query_as("SELECT failures FROM sign_in_failures WHERE lower_username = 'ann.lee'")
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(username_failures, 20, "[{label}] the device's failures are its own");
        clock.advance_ms(15 * MINUTE_MS);
        let again = sign_in_from(&state, "ann.lee", GOOD_PASSWORD, &anns).await;
        assert!(again.is_ok(), "[{label}] after the lock period: {}", outcome(&again));
    })
    .await;
}

struct RaceDb {
    url: String,
    label: &'static str,
    _dir: Option<tempfile::TempDir>,
    _postgres: Option<TestDb>,
}

/// Several connections onto one database: a SQLite file, and PostgreSQL when configured.
async fn shared_databases() -> Vec<RaceDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let mut databases = vec![RaceDb { url, label: "sqlite file", _dir: Some(dir), _postgres: None }];
    if let Some(pg) = postgres().await {
        databases.push(RaceDb { url: pg.url.clone(), label: pg.label, _dir: None, _postgres: Some(pg) });
    }
    databases
}

// covers: SEC-4
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_wrong_passwords_from_a_trusted_browser_verify_only_its_budget() {
    for db in shared_databases().await {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        registered(&state, "ann.lee").await;
        let anns = trusted_browser(&state, "ann.lee").await;
        lock(&state, &clock, "ann.lee").await;
        let start = Arc::new(tokio::sync::Barrier::new(50));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (state, anns, start) = (state.clone(), anns.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    sign_in_from(&state, "ann.lee", WRONG, &anns).await
                })
            })
            .collect();
        let mut verified = 0;
        for task in tasks {
            match task.await.expect("task") {
                Err(ServiceError::SignInFailed) => verified += 1,
                Err(ServiceError::Locked) => {}
                other => panic!("[{label}] {}", outcome(&other)),
            }
        }
        assert_eq!(verified, 5, "[{label}] verified attempts");
    }
}

// covers: SEC-4
#[tokio::test]
async fn every_instance_signs_with_the_one_key_kept_outside_the_settings() {
    for db in shared_databases().await {
        let label = db.label;
        let clock = TestClock::at(T0);
        let first = migrated_state(&db.url, clock.clone()).await;
        let second = migrated_state(&db.url, clock.clone()).await;
        registered(&first, "ann.lee").await;
        let anns = trusted_browser(&first, "ann.lee").await;
        lock(&second, &clock, "ann.lee").await;
        let result = sign_in_from(&second, "ann.lee", GOOD_PASSWORD, &anns).await;
        assert!(result.is_ok(), "[{label}] another instance trusts the cookie: {}", outcome(&result));
        assert_eq!(count_rows(&first.db, "server_secrets").await, 1, "[{label}] one key");
        let key = strings(&first, "SELECT value FROM server_secrets", &[]).await.remove(0);
        assert_eq!(key.len(), 128, "[{label}] 64 random bytes");
        let in_settings = strings(&first, "SELECT key FROM settings WHERE value = $1", &[&key]).await;
        assert!(in_settings.is_empty(), "[{label}] never a setting");
    }
}
