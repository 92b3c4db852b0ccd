//! Changing one's password (LOG-6) is guarded like sign-in (SEC-4, LOG-2): wrong current
//! passwords count toward the username's lock, every password field is capped before any
//! hashing, and a user who may not sign in may not change a password either.

use app::backend::clock::MINUTE_MS;
use app::backend::services::bootstrap;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::{FieldError, Language};
use app::testing::change_password;
use app::testing::register;
use app::testing::sign_in;
use app::testing::Fields;
use app::testing::{exec, for_each_database, individual_fields, migrated_state, strings, GOOD_PASSWORD};

const T0: i64 = 1_800_000_000_000;
const PAST_ANY_DELAY_MS: i64 = 65_000;
const NEW_PASSWORD: &str = "violet anchor trumpet 42";
const WRONG: &str = "not the password at all";

async fn registered(state: &AppState, type_key: &str, fields: &Fields) -> String {
    register(state, type_key, fields, Language::English).await.unwrap_or_else(|e| panic!("register: {e:?}")).user_id
}

fn field_errors(result: Result<(), ServiceError>) -> Vec<FieldError> {
    match result {
        Err(ServiceError::Validation(errors)) => errors,
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn message_for<'a>(errors: &'a [FieldError], field: &str) -> &'a str {
    errors.iter().find(|e| e.field == field).map_or("", |e| e.message.as_str())
}

async fn hash_of(state: &AppState, user_id: &str) -> Vec<String> {
    strings(state, "SELECT password_hash FROM users WHERE id = $1", &[user_id]).await
}

// covers: SEC-4, LOG-6
#[tokio::test]
async fn wrong_current_passwords_count_toward_the_same_lock_as_sign_in() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let ann = registered(&state, "individual", &individual_fields("ann.lee")).await;
        for attempt in 1..=20 {
            clock.advance_ms(PAST_ANY_DELAY_MS);
            let errors = field_errors(change_password(&state, &ann, WRONG, NEW_PASSWORD, NEW_PASSWORD).await);
            assert!(
                message_for(&errors, "current_password").contains("incorrect"),
                "[{label}] attempt {attempt}: {errors:?}"
            );
        }
        let refused = change_password(&state, &ann, GOOD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert!(matches!(refused, Err(ServiceError::Locked)), "[{label}] the right current password: {refused:?}");
        let signing_in = sign_in(&state, "ann.lee", GOOD_PASSWORD).await;
        assert!(matches!(signing_in, Err(ServiceError::Locked)), "[{label}] sign-in shares the lock");
        clock.advance_ms(15 * MINUTE_MS);
        let changed = change_password(&state, &ann, GOOD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert!(changed.is_ok(), "[{label}] after the lock: {changed:?}");
    })
    .await;
}

// covers: SEC-4, LOG-6
#[tokio::test]
async fn quick_wrong_current_passwords_must_wait_for_the_delay() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = registered(&state, "individual", &individual_fields("ann.lee")).await;
        for _ in 0..5 {
            field_errors(change_password(&state, &ann, WRONG, NEW_PASSWORD, NEW_PASSWORD).await);
        }
        let sixth = change_password(&state, &ann, GOOD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert!(matches!(sixth, Err(ServiceError::Locked)), "[{label}] {sixth:?}");
    })
    .await;
}

// covers: SEC-4, LOG-6
#[tokio::test]
async fn every_password_field_is_capped_at_128_characters_before_any_hashing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = registered(&state, "individual", &individual_fields("ann.lee")).await;
        let long = "x".repeat(129);
        let errors = field_errors(change_password(&state, &ann, &long, NEW_PASSWORD, NEW_PASSWORD).await);
        assert!(message_for(&errors, "current_password").contains("128"), "[{label}] current: {errors:?}");
        let errors = field_errors(change_password(&state, &ann, GOOD_PASSWORD, &long, &long).await);
        assert!(message_for(&errors, "new_password").contains("128"), "[{label}] new: {errors:?}");
        assert!(message_for(&errors, "new_password_confirm").contains("128"), "[{label}] confirm: {errors:?}");
        let counted = strings(&state, "SELECT lower_username FROM sign_in_failures", &[]).await;
        assert!(counted.is_empty(), "[{label}] nothing was verified, so nothing was counted");
    })
    .await;
}

// covers: LOG-2, LOG-6
#[tokio::test]
async fn a_user_who_may_not_sign_in_may_not_change_the_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        bootstrap::load_demo_data(&state).await.expect("demo data");
        let mut fields = individual_fields("ann.lee");
        fields.insert("registry_id".into(), "R-ACME01".into());
        let ann = registered(&state, "company_business", &fields).await;
        let before = hash_of(&state, &ann).await;
        let contact = "(SELECT contact_id FROM users WHERE id = $1)";
        let obstacles = [
            ("awaiting approval", "UPDATE users SET status = 'pending' WHERE id = $1".to_owned()),
            ("inactive user", "UPDATE users SET status = 'inactive' WHERE id = $1".to_owned()),
            ("deleted user", "UPDATE users SET status = 'deleted' WHERE id = $1".to_owned()),
            ("end date in the past", format!("UPDATE users SET end_at = {} WHERE id = $1", T0 - 1)),
            ("start date in the future", format!("UPDATE users SET start_at = {} WHERE id = $1", T0 + 1)),
        ];
        let usable = [
            "UPDATE users SET status = 'active', start_at = NULL, end_at = NULL WHERE id = $1".to_owned(),
            format!("UPDATE contacts SET status = 'active' WHERE id = {contact}"),
        ];
        for (what, obstacle) in &obstacles {
            for sql in &usable {
                exec(&state, sql, &[&ann]).await;
            }
            exec(&state, obstacle, &[&ann]).await;
            let result = change_password(&state, &ann, GOOD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
            assert!(matches!(result, Err(ServiceError::Unauthenticated)), "[{label}] {what}: {result:?}");
            assert_eq!(hash_of(&state, &ann).await, before, "[{label}] {what}: the password is unchanged");
        }
        for sql in &usable {
            exec(&state, sql, &[&ann]).await;
        }
        let result = change_password(&state, &ann, GOOD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert!(result.is_ok(), "[{label}] usable again: {result:?}");
    })
    .await;
}
