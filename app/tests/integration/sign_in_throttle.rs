//! SEC-4 under pressure: parallel sign-ins against one username (on a file-backed SQLite
//! database and PostgreSQL, both with several connections) and the expiry of old counters.

use std::sync::Arc;

use app::backend::clock::MINUTE_MS;
use app::backend::services::sign_in::SignedIn;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::Language;
use app::testing::register;
use app::testing::sign_in;
use app::testing::{
    exec, for_each_database, individual_fields, migrated_state, postgres, strings, TestDb, GOOD_PASSWORD,
};

const T0: i64 = 1_800_000_000_000;
const PAST_ANY_DELAY_MS: i64 = 65_000;

/// A database shared by several connections: a SQLite file, and PostgreSQL when configured.
struct RaceDb {
    url: String,
    label: &'static str,
    _dir: Option<tempfile::TempDir>,
    _postgres: Option<TestDb>,
}

async fn race_databases() -> Vec<RaceDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("race.db").display());
    let mut databases = vec![RaceDb { url, label: "sqlite file", _dir: Some(dir), _postgres: None }];
    if let Some(pg) = postgres().await {
        databases.push(RaceDb { url: pg.url.clone(), label: pg.label, _dir: None, _postgres: Some(pg) });
    }
    databases
}

async fn ann(state: &AppState) {
    register(state, "individual", &individual_fields("ann.lee"), Language::English).await.expect("register ann.lee");
}

fn outcome(result: &Result<SignedIn, ServiceError>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(e) => format!("{e:?}"),
    }
}

/// `n` sign-ins of `username` with a wrong password, on `n` tasks released together:
/// (refused as wrong — so their password was verified —, refused as locked).
async fn burst(state: &AppState, username: &str, n: usize) -> (usize, usize) {
    let start = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (state, username, start) = (state.clone(), username.to_owned(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                sign_in(&state, &username, "not the password at all").await
            })
        })
        .collect();
    let (mut verified, mut locked) = (0, 0);
    for task in tasks {
        match task.await.expect("sign-in task") {
            Err(ServiceError::SignInFailed) => verified += 1,
            Err(ServiceError::Locked) => locked += 1,
            other => panic!("unexpected outcome: {}", outcome(&other)),
        }
    }
    (verified, locked)
}

async fn failures_of(state: &AppState, lower_username: &str) -> Vec<String> {
    strings(state, "SELECT CAST(failures AS TEXT) FROM sign_in_failures WHERE lower_username = $1", &[lower_username])
        .await
}

// covers: SEC-4
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_wrong_passwords_verify_no_more_than_the_lock_allows_known_or_not() {
    for db in race_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        ann(&state).await;
        // No delay, so that the lock alone must bound the burst.
        exec(&state, "UPDATE settings SET value = '1000' WHERE key = 'sign_in_delay_after_failures'", &[]).await;
        let known = burst(&state, "ann.lee", 50).await;
        assert_eq!(known, (20, 30), "[{label}] (verified, locked) of 50 parallel attempts");
        assert_eq!(failures_of(&state, "ann.lee").await, ["20"], "[{label}] every verified attempt is counted");
        let right = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(right, Err(ServiceError::Locked)), "[{label}] right password: {}", outcome(&right));
        let unknown = burst(&state, "nobody.here", 50).await;
        assert_eq!(unknown, known, "[{label}] an unknown username locks exactly alike");
    }
}

// covers: SEC-4
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_wrong_passwords_stop_at_the_delay_threshold() {
    for db in race_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        ann(&state).await;
        let (verified, locked) = burst(&state, "ann.lee", 50).await;
        assert_eq!((verified, locked), (5, 45), "[{label}] after 5 failures the next attempt must wait");
    }
}

async fn counter_row(state: &AppState, lower_username: &str, failures: i64, last_failure_at: i64, locked: Option<i64>) {
    sqlx::query(
        "INSERT INTO sign_in_failures (lower_username, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4)",
    )
    .bind(lower_username)
    .bind(failures)
    .bind(last_failure_at)
    .bind(locked)
    .execute(state.db.pool())
    .await
    .expect("counter row");
}

// covers: SEC-4
#[tokio::test]
async fn counters_older_than_the_lock_period_are_deleted_as_new_failures_are_written_and_live_locks_stay() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        ann(&state).await;
        counter_row(&state, "quiet.for.long", 3, T0 - 16 * MINUTE_MS, None).await;
        counter_row(&state, "lock.expired", 20, T0 - 40 * MINUTE_MS, Some(T0 - 25 * MINUTE_MS)).await;
        counter_row(&state, "lock.live", 20, T0 - 10 * MINUTE_MS, Some(T0 + 5 * MINUTE_MS)).await;
        counter_row(&state, "recent.failure", 2, T0 - MINUTE_MS, None).await;
        let result = sign_in(&state, "ann.lee", "not the password at all").await;
        assert!(matches!(result, Err(ServiceError::SignInFailed)), "[{label}] {}", outcome(&result));
        let mut left = strings(&state, "SELECT lower_username FROM sign_in_failures", &[]).await;
        left.sort();
        assert_eq!(left, ["ann.lee", "lock.live", "recent.failure"], "[{label}]");
        let live = sign_in(&state, "lock.live", "anything at all").await;
        assert!(matches!(live, Err(ServiceError::Locked)), "[{label}] the live lock holds: {}", outcome(&live));
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn failures_followed_by_a_quiet_lock_period_are_forgotten() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ann(&state).await;
        for attempt in 1..=19 {
            clock.advance_ms(PAST_ANY_DELAY_MS);
            let result = sign_in(&state, "ann.lee", "not the password at all").await;
            assert!(matches!(result, Err(ServiceError::SignInFailed)), "[{label}] failure {attempt}");
        }
        clock.advance_ms(15 * MINUTE_MS);
        let after_quiet = sign_in(&state, "ann.lee", "not the password at all").await;
        assert!(matches!(after_quiet, Err(ServiceError::SignInFailed)), "[{label}] {}", outcome(&after_quiet));
        assert_eq!(failures_of(&state, "ann.lee").await, ["1"], "[{label}] a fresh count");
        clock.advance_ms(PAST_ANY_DELAY_MS);
        let right = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(right.is_ok(), "[{label}] not locked: {}", outcome(&right));
    })
    .await;
}
