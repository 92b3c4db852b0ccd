//! Registration's checks (REG-7, REG-8, REG-9, REG-13): usernames reserved case-insensitively
//! and released on rejection, every password rule, concurrent registrations of one name, and
//! joining a company by Registry ID. SQLite and PostgreSQL.

use app::backend::services::bootstrap;
use app::backend::services::registration::{Registered, USERNAME_TAKEN};
use app::backend::settings;
use app::backend::store::user_types;
use app::backend::{AppState, ServiceError, TestClock};
use app::testing::Fields;
use app::testing::{
    concurrent_databases, count_rows, field_errors, for_each_database, individual_fields, message_for, migrated_state,
    register_as, registration_counts as counts, with, TestDb, T0,
};

/// kind, status, current_step, step_count, created_person_id, created_contact_id
type RequestRow = (String, String, i64, i64, Option<String>, Option<String>);

async fn state_on(db: &TestDb) -> AppState {
    migrated_state(&db.url, TestClock::at(T0)).await
}

async fn register_individual(state: &AppState, fields: &Fields) -> Result<Registered, ServiceError> {
    register_as(state, "individual", fields).await
}

/// A password `rule` rejects, with the message the service answers.
async fn password_message(state: &AppState, username: &str, password: &str, label: &str) -> Option<String> {
    let fields = with(individual_fields(username), &[("password", password), ("password_confirm", password)]);
    let result = register_individual(state, &fields).await;
    message_for(&field_errors(result, label), "password")
}

// covers: REG-8, REG-14
#[tokio::test]
async fn a_username_taken_in_another_case_is_refused_on_its_field_and_writes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        register_individual(&state, &individual_fields("Ann.Lee")).await.expect(label);
        let before = counts(&state).await;
        let errors = field_errors(register_individual(&state, &individual_fields("ann.lee")).await, label);
        assert_eq!(errors, vec![("username".into(), USERNAME_TAKEN.into())], "[{label}]");
        assert_eq!(USERNAME_TAKEN, "Username already used");
        assert_eq!(counts(&state).await, before, "[{label}] nothing written");
    })
    .await;
}

// covers: REG-8
#[tokio::test]
async fn a_released_username_can_be_registered_again() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let first = register_individual(&state, &individual_fields("ann.lee")).await.expect(label);
        sqlx::query("UPDATE users SET status = 'rejected', released_at = $1 WHERE id = $2")
            .bind(T0)
            .bind(&first.user_id)
            .execute(state.db.pool())
            .await
            .unwrap();
        let second = register_individual(&state, &individual_fields("ANN.LEE")).await;
        let second = second.unwrap_or_else(|e| panic!("[{label}] a released name is free: {e:?}"));
        assert_ne!(second.user_id, first.user_id, "[{label}]");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE lower_username = 'ann.lee'")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 2, "[{label}] the released user is kept, the new one added");
    })
    .await;
}

// covers: REG-9
#[tokio::test]
async fn every_password_rule_is_named_in_its_own_message() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let now = T0;
        let msg = |m: &str| Some(m.to_owned());

        assert_eq!(
            password_message(&state, "ann.lee", "short pass", label).await,
            msg("Password must be at least 12 characters"),
            "[{label}] default minimum"
        );
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            settings::set(&mut conn, "password_min_length", "16", now).await.unwrap();
        }
        assert_eq!(
            password_message(&state, "ann.lee", "copper kettle 7", label).await,
            msg("Password must be at least 16 characters"),
            "[{label}] the minimum comes from the setting"
        );
        let too_long = "x".repeat(129);
        assert_eq!(
            password_message(&state, "ann.lee", &too_long, label).await,
            msg("Password must be at most 128 characters"),
            "[{label}]"
        );
        for (password, part) in [
            ("my ANN.LEE secret password", "username"),
            ("annual copper kettle", "first name"),
            ("copper fleet harbor", "last name"),
        ] {
            assert_eq!(
                password_message(&state, "ann.lee", password, label).await,
                msg("Password must not contain your username or name"),
                "[{label}] a password containing the {part}"
            );
        }
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            settings::set(&mut conn, "password_min_length", "12", now).await.unwrap();
        }
        assert_eq!(
            password_message(&state, "ann.lee", "password1234", label).await,
            msg("This password is too common"),
            "[{label}] the bundled list"
        );
        // Exactly 128 characters is allowed.
        let longest = "y".repeat(128);
        let fields = with(individual_fields("ann.lee"), &[("password", &longest), ("password_confirm", &longest)]);
        register_individual(&state, &fields).await.unwrap_or_else(|e| panic!("[{label}] 128 characters: {e:?}"));
    })
    .await;
}

// covers: REG-9
#[tokio::test]
async fn turning_hard_to_guess_off_accepts_a_common_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            settings::set(&mut conn, "password_hard_to_guess", "0", T0).await.unwrap();
        }
        let fields =
            with(individual_fields("ann.lee"), &[("password", "password1234"), ("password_confirm", "password1234")]);
        register_individual(&state, &fields).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
    })
    .await;
}

/// Two tasks register the same username (in different cases) at once, `rounds` times.
async fn race_for_the_same_username(state: &AppState, label: &str) {
    for round in 0..3 {
        let name = format!("racer{round}");
        let tasks: Vec<_> = [name.clone(), name.to_uppercase()]
            .into_iter()
            .map(|username| {
                let state = state.clone();
                tokio::spawn(async move { register_individual(&state, &individual_fields(&username)).await })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("task"));
        }
        let winners = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(winners, 1, "[{label}] exactly one of two concurrent registrations of {name} wins: {results:?}");
        let loser = results.into_iter().find(Result::is_err).expect("a loser");
        assert_eq!(
            field_errors(loser, label),
            vec![("username".into(), USERNAME_TAKEN.into())],
            "[{label}] the loser is told the name is taken"
        );
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE lower_username = $1")
            .bind(&name)
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(n, 1, "[{label}] one user holds {name}");
    }
    assert_eq!(count_rows(&state.db, "persons").await, 3, "[{label}] the losers left no person behind");
}

// covers: REG-8, REG-14
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_registrations_of_one_username_let_exactly_one_win() {
    for db in concurrent_databases().await {
        let state = state_on(&db).await;
        race_for_the_same_username(&state, db.label).await;
        state.db.close().await;
    }
}

/// Fields of REG-7: Ann Lee joining the company with `registry_id`.
fn business_fields(username: &str, registry_id: &str) -> Fields {
    with(individual_fields(username), &[("registry_id", registry_id)])
}

// covers: REG-4, REG-7, REG-8, REG-13, NOT-3
#[tokio::test]
async fn joining_an_existing_company_leaves_the_user_pending_with_a_one_step_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        bootstrap::load_demo_data(&state).await.expect("demo data");
        let registered = register_as(&state, "company_business", &business_fields("ann.lee", "r-acme01"))
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(registered.needs_approval, "[{label}] the company's primary users approve");
        let pool = state.db.pool();

        let (status, start_at, org_name, contact_kind, contact_status, contact_person, user_person): (
            String,
            Option<i64>,
            String,
            String,
            String,
            String,
            String,
        ) = sqlx::query_as(
            "SELECT u.status, u.start_at, o.name, c.kind, c.status, c.person_id, u.person_id FROM users u \
             JOIN organizations o ON o.id = u.organization_id JOIN contacts c ON c.id = u.contact_id \
             WHERE u.id = $1",
        )
        .bind(&registered.user_id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            (status.as_str(), start_at, org_name.as_str(), contact_kind.as_str(), contact_status.as_str()),
            ("pending", None, "Acme Tools", "employee_of", "active"),
            "[{label}]"
        );
        assert_eq!(contact_person, user_person, "[{label}] the contact is the new person's");

        let requests: Vec<RequestRow> = sqlx::query_as(
            "SELECT r.kind, r.status, r.current_step, r.step_count, r.created_person_id, r.created_contact_id \
             FROM requests r WHERE r.user_id = $1",
        )
        .bind(&registered.user_id)
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(requests.len(), 1, "[{label}] one request");
        let (kind, request_status, step, steps, created_person, created_contact) = &requests[0];
        assert_eq!(
            (kind.as_str(), request_status.as_str(), *step, *steps),
            ("registration", "pending", 1, 1),
            "[{label}]"
        );
        assert_eq!(created_person.as_deref(), Some(user_person.as_str()), "[{label}] REJ-1 needs to know");
        assert!(created_contact.is_some(), "[{label}]");

        let assigned: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_assignments WHERE user_id = $1")
            .bind(&registered.user_id)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(assigned.0, 0, "[{label}] no account before approval");

        let (text,): (String,) = sqlx::query_as("SELECT text_body FROM outbox WHERE recipient = 'ann.lee@example.com'")
            .fetch_one(pool)
            .await
            .unwrap();
        assert!(text.contains("needs to be approved"), "[{label}] the approval-required variant: {text}");

        // REG-8: the name is reserved while the request waits.
        let errors = field_errors(register_individual(&state, &individual_fields("Ann.Lee")).await, label);
        assert_eq!(errors, vec![("username".into(), USERNAME_TAKEN.into())], "[{label}]");
    })
    .await;
}

// covers: REG-7, REG-14
#[tokio::test]
async fn an_unknown_or_malformed_registry_id_is_an_error_on_its_field_and_writes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        bootstrap::load_demo_data(&state).await.expect("demo data");
        let before = counts(&state).await;
        for (registry_id, expected) in [
            ("R-ZZZZZ9", "We could not find an active company with this Registry ID"),
            ("ACME", "Enter a Registry ID like R-7K4Q2M"),
            ("", "Enter the Registry ID"),
        ] {
            let result = register_as(&state, "company_business", &business_fields("ann.lee", registry_id)).await;
            let errors = field_errors(result, label);
            assert_eq!(
                message_for(&errors, "registry_id").as_deref(),
                Some(expected),
                "[{label}] Registry ID {registry_id:?}"
            );
        }
        // A partner's staff cannot join a company (REG-7 partner/non-partner mismatch).
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            user_types::set_active(&mut conn, "partner_business", true, T0).await.unwrap();
        }
        let result = register_as(&state, "partner_business", &business_fields("ann.lee", "R-ACME01")).await;
        assert!(message_for(&field_errors(result, label), "registry_id").is_some(), "[{label}] partner mismatch");
        assert_eq!(counts(&state).await, before, "[{label}] nothing written");
    })
    .await;
}
