//! Sign-in (LOG-1, LOG-2) and its per-username throttling (SEC-4) on a real database: in-memory
//! SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.

use app::backend::clock::MINUTE_MS;
use app::backend::services::bootstrap;
use app::backend::services::sign_in::SignedIn;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::Language;
use app::testing::register;
use app::testing::sign_in;
use app::testing::Fields;
use app::testing::{for_each_database, individual_fields, migrated_state, GOOD_PASSWORD};

const T0: i64 = 1_800_000_000_000;
/// Longer than the largest wait between failures (64 s), so each failure is counted.
const PAST_ANY_DELAY_MS: i64 = 65_000;

async fn registered(state: &AppState, type_key: &str, fields: &Fields) -> String {
    register(state, type_key, fields, Language::English).await.unwrap_or_else(|e| panic!("register: {e:?}")).user_id
}

/// Ann Lee, an active individual user `ann.lee`.
async fn ann(state: &AppState) -> String {
    registered(state, "individual", &individual_fields("ann.lee")).await
}

async fn set_user(state: &AppState, user_id: &str, assignment: &str, value: Option<i64>) {
    let sql = format!("UPDATE users SET {assignment} = $1 WHERE id = $2");
    sqlx::query(&sql).bind(value).bind(user_id).execute(state.db.pool()).await.expect("update user");
}

fn outcome(result: &Result<SignedIn, ServiceError>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(e) => format!("{e:?}"),
    }
}

/// `n` failed sign-ins of `username`, each after any delay has passed.
async fn fail(state: &AppState, clock: &TestClock, username: &str, n: usize, label: &str) {
    for attempt in 1..=n {
        clock.advance_ms(PAST_ANY_DELAY_MS);
        let result = sign_in(state, username, "not the password at all").await;
        assert!(
            matches!(result, Err(ServiceError::SignInFailed)),
            "[{label}] failure {attempt} of {username}: {}",
            outcome(&result)
        );
    }
}

// covers: LOG-1
#[tokio::test]
async fn the_right_password_signs_in_whatever_the_case_of_the_username() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let user_id = ann(&state).await;
        clock.advance_ms(MINUTE_MS);
        let signed_in =
            sign_in(&state, "  ANN.Lee ", GOOD_PASSWORD).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(signed_in.user_id, user_id, "[{label}]");
        assert!(!signed_in.must_change_password, "[{label}]");
        let (last,): (Option<i64>,) = sqlx::query_as("SELECT last_sign_in_at FROM users WHERE id = $1")
            .bind(&user_id)
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(last, Some(T0 + MINUTE_MS), "[{label}] the sign-in is recorded");
    })
    .await;
}

// covers: LOG-1, SEC-4
#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        ann(&state).await;
        let wrong_password = sign_in(&state, "ann.lee", "copper kettle harbor 8").await;
        let unknown_user = sign_in(&state, "nobody.here", GOOD_PASSWORD).await;
        let too_long = sign_in(&state, "ann.lee", &"x".repeat(129)).await;
        for (what, result) in
            [("wrong password", &wrong_password), ("unknown user", &unknown_user), ("impossible length", &too_long)]
        {
            assert!(matches!(result, Err(ServiceError::SignInFailed)), "[{label}] {what}: {}", outcome(result));
        }
        // Blank fields are named next to the fields, as the browser does before posting (REG-14).
        let empty = sign_in(&state, "", "").await;
        assert!(
            matches!(&empty, Err(ServiceError::Validation(fields)) if fields.len() == 2),
            "[{label}] empty: {}",
            outcome(&empty)
        );
        assert_eq!(outcome(&wrong_password), outcome(&unknown_user), "[{label}]");
    })
    .await;
}

// covers: LOG-2, REG-13
#[tokio::test]
async fn a_user_awaiting_approval_is_told_so_only_with_the_right_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        bootstrap::load_demo_data(&state).await.expect("demo data");
        let mut fields = individual_fields("ann.lee");
        fields.insert("registry_id".into(), "R-ACME01".into());
        registered(&state, "company_business", &fields).await;
        let right = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(right, Err(ServiceError::AwaitingApproval)), "[{label}] {}", outcome(&right));
        let wrong = sign_in(&state, "ann.lee", "copper kettle harbor 8").await;
        assert!(matches!(wrong, Err(ServiceError::SignInFailed)), "[{label}] {}", outcome(&wrong));
    })
    .await;
}

// covers: LOG-2
#[tokio::test]
async fn access_outside_its_dates_or_inactive_is_not_active_and_rejected_users_get_the_generic_failure() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let user_id = ann(&state).await;
        let check = |what: &'static str, expect_not_active: bool| {
            let state = state.clone();
            async move {
                let result = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
                let ok = if expect_not_active {
                    matches!(result, Err(ServiceError::AccessNotActive))
                } else {
                    matches!(result, Err(ServiceError::SignInFailed))
                };
                assert!(ok, "[{label}] {what}: {}", outcome(&result));
            }
        };

        set_user(&state, &user_id, "end_at", Some(T0 - 1)).await;
        check("end date in the past", true).await;
        set_user(&state, &user_id, "end_at", None).await;
        set_user(&state, &user_id, "start_at", Some(T0 + 1)).await;
        check("start date in the future", true).await;
        set_user(&state, &user_id, "start_at", Some(T0)).await;
        sqlx::query("UPDATE users SET status = 'inactive' WHERE id = $1")
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        check("inactive user", true).await;
        sqlx::query("UPDATE users SET status = 'rejected' WHERE id = $1")
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        check("rejected user", false).await;
        sqlx::query("UPDATE users SET status = 'active', released_at = $1 WHERE id = $2")
            .bind(T0)
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        check("released user", false).await;
        // Back to normal: the dates and status were the only obstacles.
        set_user(&state, &user_id, "released_at", None).await;
        assert!(sign_in(&state, "ann.lee", GOOD_PASSWORD).await.is_ok(), "[{label}] active again");
    })
    .await;
}

// covers: LOG-2, PAR-1
#[tokio::test]
async fn a_user_whose_contact_is_inactive_signs_in_to_complete_the_registration() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        bootstrap::load_demo_data(&state).await.expect("demo data");
        let mut fields = individual_fields("ann.lee");
        fields.insert("registry_id".into(), "R-ACME01".into());
        let user_id = registered(&state, "company_business", &fields).await;
        sqlx::query("UPDATE users SET status = 'active', start_at = $1 WHERE id = $2")
            .bind(T0)
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE requests SET status = 'approved' WHERE user_id = $1")
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        assert!(sign_in(&state, "ann.lee", GOOD_PASSWORD).await.is_ok(), "[{label}] approved, active contact");
        sqlx::query("UPDATE contacts SET status = 'inactive' WHERE id = (SELECT contact_id FROM users WHERE id = $1)")
            .bind(&user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        let result = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(result.is_ok(), "[{label}] {}", outcome(&result));
        let ann = app::backend::authz::caller(&state, &user_id).await.expect("the login");
        assert!(matches!(ann.completeness(), app::domain::Completeness::Partial(_)), "[{label}] but only for PAR-1");
    })
    .await;
}

// covers: LOG-3
#[tokio::test]
async fn the_merchant_admin_must_change_the_first_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        bootstrap::ensure_merchant_admin(&state, Some("first admin password")).await.expect("admin");
        let signed_in =
            sign_in(&state, "admin", "first admin password").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(signed_in.must_change_password, "[{label}]");
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn after_five_failures_each_attempt_must_wait_for_the_delay() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ann(&state).await;
        for attempt in 1..=5 {
            let result = sign_in(&state, "ann.lee", "wrong wrong wrong").await;
            assert!(matches!(result, Err(ServiceError::SignInFailed)), "[{label}] quick failure {attempt}");
        }
        let early = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(early, Err(ServiceError::Locked)), "[{label}] within the delay: {}", outcome(&early));
        clock.advance_ms(999);
        let still = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(still, Err(ServiceError::Locked)), "[{label}] 999 ms later: {}", outcome(&still));
        let (failures,): (i64,) =
            sqlx::query_as("SELECT failures FROM sign_in_failures WHERE lower_username = 'ann.lee'")
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(failures, 5, "[{label}] refused attempts within the delay are not verified or counted");
        clock.advance_ms(1);
        let after = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(after.is_ok(), "[{label}] after 1 s: {}", outcome(&after));
        assert_eq!(
            app::testing::count_rows(&state.db, "sign_in_failures").await,
            0,
            "[{label}] success clears the counter"
        );
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn nineteen_failures_do_not_lock_the_username() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ann(&state).await;
        fail(&state, &clock, "ann.lee", 19, label).await;
        clock.advance_ms(PAST_ANY_DELAY_MS);
        let result = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(result.is_ok(), "[{label}] {}", outcome(&result));
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn twenty_failures_lock_the_username_for_fifteen_minutes_even_with_the_right_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ann(&state).await;
        fail(&state, &clock, "ann.lee", 20, label).await;
        let locked = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(locked, Err(ServiceError::Locked)), "[{label}] {}", outcome(&locked));
        clock.advance_ms(15 * MINUTE_MS - 1);
        let still = sign_in(&state, "Ann.Lee", GOOD_PASSWORD).await;
        assert!(matches!(still, Err(ServiceError::Locked)), "[{label}] just before 15 min: {}", outcome(&still));
        clock.advance_ms(1);
        let again = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(again.is_ok(), "[{label}] 15 minutes after the lock: {}", outcome(&again));
    })
    .await;
}

// covers: SEC-4
#[tokio::test]
async fn an_unknown_username_locks_exactly_like_a_real_one() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ann(&state).await;
        // Interleaved, so both locks start within the same minute.
        for _ in 0..20 {
            fail(&state, &clock, "nobody.here", 1, label).await;
            fail(&state, &clock, "ann.lee", 1, label).await;
        }
        let unknown = sign_in(&state, "nobody.here", "anything at all").await;
        let known = sign_in(&state, "ann.lee", "anything at all").await;
        assert!(matches!(unknown, Err(ServiceError::Locked)), "[{label}] {}", outcome(&unknown));
        assert_eq!(outcome(&unknown), outcome(&known), "[{label}] a lock reveals nothing");
        clock.advance_ms(15 * MINUTE_MS);
        let unknown = sign_in(&state, "nobody.here", "anything at all").await;
        assert!(matches!(unknown, Err(ServiceError::SignInFailed)), "[{label}] unlocked: {}", outcome(&unknown));
    })
    .await;
}
