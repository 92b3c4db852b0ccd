//! Registration use cases (REG) on a real database: in-memory SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set (`app::backend::testing`).
#![cfg(feature = "ssr")]

use app::backend::services::registration::{registrable_types, Registered, USERNAME_TAKEN};
use app::backend::services::{bootstrap, Fields};
use app::backend::settings;
use app::backend::store::user_types;
use app::backend::testing::{
    concurrent_databases, count_rows, for_each_database, individual_fields, migrated_state, register_as, TestDb, T0,
};
use app::backend::{AppState, DbKind, ServiceError, TestClock};
const INDIVIDUAL_TYPE_ID: &str = "00000000-0000-7000-8000-000000000301";

/// kind, status, current_step, step_count, created_person_id, created_contact_id
type RequestRow = (String, String, i64, i64, Option<String>, Option<String>);

/// Tables a registration writes to; a failed one must leave every count as it was (REG-14).
const WRITTEN_TABLES: &[&str] = &[
    "persons",
    "email_addresses",
    "phones",
    "users",
    "contacts",
    "accounts",
    "account_assignments",
    "contact_preferences",
    "contact_preference_history",
    "requests",
    "outbox",
    "audit_log",
];

async fn state_on(db: &TestDb) -> AppState {
    migrated_state(&db.url, TestClock::at(T0)).await
}

async fn counts(state: &AppState) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in WRITTEN_TABLES {
        counts.push((*table, count_rows(&state.db, table).await));
    }
    counts
}

fn with(mut fields: Fields, changes: &[(&str, &str)]) -> Fields {
    for (k, v) in changes {
        fields.insert((*k).to_owned(), (*v).to_owned());
    }
    fields
}

async fn register_individual(state: &AppState, fields: &Fields) -> Result<Registered, ServiceError> {
    register_as(state, "individual", fields).await
}

/// The field errors of a failed registration as (field, message).
fn field_errors(result: Result<Registered, ServiceError>, label: &str) -> Vec<(String, String)> {
    match result {
        Err(ServiceError::Validation(errors)) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("[{label}] expected field errors, got {other:?}"),
    }
}

fn message_for(errors: &[(String, String)], field: &str) -> Option<String> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
}

/// A password `rule` rejects, with the message the service answers.
async fn password_message(state: &AppState, username: &str, password: &str, label: &str) -> Option<String> {
    let fields = with(individual_fields(username), &[("password", password), ("password_confirm", password)]);
    let result = register_individual(state, &fields).await;
    message_for(&field_errors(result, label), "password")
}

// covers: REG-5, REG-11, REG-12, REG-14, NOT-3
#[tokio::test]
async fn an_individual_registration_writes_person_user_account_preference_mail_and_audit_together() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let fields = with(individual_fields("Ann.Lee"), &[("phone", "+1 415 555 0100"), ("marketing_opt_in", "on")]);
        let registered = register_individual(&state, &fields).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(!registered.needs_approval, "[{label}] an individual needs no approval");
        assert_eq!(registered.registry_id, None, "[{label}]");
        let pool = state.db.pool();

        let (person_id, user_type_id, username, lower, status, start_at, hash): (
            String,
            Option<String>,
            String,
            String,
            String,
            Option<i64>,
            Option<String>,
        ) = sqlx::query_as(
            "SELECT person_id, user_type_id, username, lower_username, status, start_at, password_hash \
             FROM users WHERE id = $1",
        )
        .bind(&registered.user_id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            (user_type_id.as_deref(), username.as_str(), lower.as_str(), status.as_str(), start_at),
            (Some(INDIVIDUAL_TYPE_ID), "Ann.Lee", "ann.lee", "active", Some(T0)),
            "[{label}] the user keeps the typed case, is active and starts now"
        );
        let hash = hash.unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"), "[{label}] the password is stored as an argon2id hash");
        assert!(!hash.contains(app::backend::testing::GOOD_PASSWORD), "[{label}]");

        let person: (String, String, String, String) =
            sqlx::query_as("SELECT first_name, last_name, language, status FROM persons WHERE id = $1")
                .bind(&person_id)
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(person, ("Ann".into(), "Lee".into(), "en".into(), "active".into()), "[{label}] REG-12 language");

        let emails: Vec<(String, i64)> =
            sqlx::query_as("SELECT address, is_primary FROM email_addresses WHERE person_id = $1")
                .bind(&person_id)
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(emails, vec![("ann.lee@example.com".into(), 1)], "[{label}]");
        let phones: Vec<(String, String)> = sqlx::query_as("SELECT number, kind FROM phones WHERE person_id = $1")
            .bind(&person_id)
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(phones, vec![("+1 415 555 0100".into(), "personal".into())], "[{label}]");

        let accounts: Vec<(String, Option<String>, i64, String)> = sqlx::query_as(
            "SELECT a.account_number, a.person_id, aa.is_primary, a.status FROM account_assignments aa \
             JOIN accounts a ON a.id = aa.account_id WHERE aa.user_id = $1",
        )
        .bind(&registered.user_id)
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(accounts.len(), 1, "[{label}] one account is opened");
        let (number, owner, primary, account_status) = &accounts[0];
        assert!(number.starts_with("A-") && number.len() == 10, "[{label}] account number {number}");
        assert_eq!(
            (owner.as_deref(), *primary, account_status.as_str()),
            (Some(person_id.as_str()), 1, "active"),
            "[{label}] the person's own account, assigned as primary"
        );

        let preference: (String,) = sqlx::query_as(
            "SELECT value FROM contact_preferences WHERE person_id = $1 AND preference = 'marketing_opt_in'",
        )
        .bind(&person_id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(preference.0, "opted_in", "[{label}] REG-11");
        let history: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT value, source, changed_by, changed_at FROM contact_preference_history WHERE person_id = $1",
        )
        .bind(&person_id)
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(
            history,
            vec![("opted_in".into(), "registration".into(), Some(registered.user_id.clone()), T0)],
            "[{label}] REG-11 history: value, where, by whom, when"
        );

        let outbox: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT recipient, template, status, text_body FROM outbox").fetch_all(pool).await.unwrap();
        assert_eq!(outbox.len(), 1, "[{label}] NOT-3: one message queued");
        let (recipient, template, mail_status, text) = &outbox[0];
        assert_eq!(
            (recipient.as_str(), template.as_str(), mail_status.as_str()),
            ("ann.lee@example.com", "registration_received", "queued"),
            "[{label}]"
        );
        assert!(
            text.contains("is ready") && text.contains("/login") && !text.contains("needs to be approved"),
            "[{label}] the approval-not-required variant: {text}"
        );
        assert!(text.contains("Ann.Lee"), "[{label}] the mail names the username");

        let audit: Vec<(String, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT action, subject_id, actor_user_id, after_value FROM audit_log")
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(
            audit,
            vec![(
                "registration.submitted".into(),
                registered.user_id.clone(),
                Some(registered.user_id.clone()),
                Some("active".into())
            )],
            "[{label}]"
        );
        assert_eq!(count_rows(&state.db, "requests").await, 0, "[{label}] no approval request");
    })
    .await;
}

// covers: REG-11
#[tokio::test]
async fn an_unchecked_marketing_box_is_recorded_as_opted_out() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let registered = register_individual(&state, &individual_fields("ann.lee")).await.expect(label);
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT h.value, h.source FROM contact_preference_history h JOIN users u ON u.person_id = h.person_id \
             WHERE u.id = $1",
        )
        .bind(&registered.user_id)
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        assert_eq!(rows, vec![("opted_out".into(), "registration".into())], "[{label}]");
    })
    .await;
}

// covers: REG-14, NOT-3
#[tokio::test]
async fn a_registration_whose_last_write_fails_leaves_nothing_behind() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        // The audit row is the registration's last write: make it fail.
        let statements: &[&str] = match state.db.kind() {
            DbKind::Sqlite => {
                &["CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END"]
            }
            DbKind::Postgres => &[
                "CREATE FUNCTION audit_fails() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$ \
                 LANGUAGE plpgsql",
                "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_fails()",
            ],
        };
        for sql in statements {
            sqlx::query(sql).execute(state.db.pool()).await.unwrap_or_else(|e| panic!("[{label}] {e}"));
        }
        let before = counts(&state).await;
        let result = register_individual(&state, &individual_fields("ann.lee")).await;
        assert!(result.is_err(), "[{label}] the failing audit insert fails the registration");
        assert_eq!(counts(&state).await, before, "[{label}] person, user, account and mail rolled back");
    })
    .await;
}

// covers: REG-14
#[tokio::test]
async fn a_registration_with_an_invalid_field_writes_nothing_and_names_every_bad_field() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let before = counts(&state).await;
        let fields = with(individual_fields("ann.lee"), &[("email", "ann@"), ("password_confirm", "something else")]);
        let errors = field_errors(register_individual(&state, &fields).await, label);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["email", "password_confirm"], "[{label}] in form order");
        assert_eq!(counts(&state).await, before, "[{label}] nothing written");
    })
    .await;
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

// covers: REG-1, REG-2, REG-4
#[tokio::test]
async fn the_registrable_types_are_the_active_ones_and_group_ut_narrows_them() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db).await;
        let keys = |types: Vec<user_types::UserType>| types.into_iter().map(|t| t.key).collect::<Vec<_>>();
        let all = ["individual", "company_primary", "company_business"];
        assert_eq!(keys(registrable_types(&state, None).await.unwrap()), all, "[{label}] inactive types hidden");
        for (group_ut, expected) in [
            ("individual:nonsense", &["individual"][..]),
            ("company_business,individual", &["individual", "company_business"][..]),
            ("nonsense", &all[..]),
            ("partner_business", &all[..]),
            ("", &all[..]),
        ] {
            assert_eq!(
                keys(registrable_types(&state, Some(group_ut)).await.unwrap()),
                expected,
                "[{label}] group_ut={group_ut}"
            );
        }
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            user_types::set_active(&mut conn, "online_access_individual", true, T0).await.unwrap();
        }
        assert_eq!(
            keys(registrable_types(&state, None).await.unwrap()),
            ["individual", "online_access_individual", "company_primary", "company_business"],
            "[{label}] an activated type is listed in its sort order"
        );
        let result = register_as(&state, "partner_business", &individual_fields("ann.lee")).await;
        assert!(matches!(result, Err(ServiceError::NotFound)), "[{label}] an inactive type cannot be registered");
    })
    .await;
}
