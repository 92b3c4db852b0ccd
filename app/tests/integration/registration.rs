//! Registration use cases (REG): what a registration writes, all of it or nothing, and the
//! registrable types; on in-memory SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
//! Usernames, passwords and Registry IDs are checked in registration_checks.rs.

use app::backend::services::registration::{registrable_types, Registered};
use app::backend::store::user_types;
use app::backend::{AppState, DbKind, ServiceError, TestClock};
use app::testing::Fields;
use app::testing::{
    count_rows, field_errors, for_each_database, individual_fields, migrated_state, register_as,
    registration_counts as counts, with, TestDb, T0,
};

const INDIVIDUAL_TYPE_ID: &str = "00000000-0000-7000-8000-000000000301";

async fn state_on(db: &TestDb) -> AppState {
    migrated_state(&db.url, TestClock::at(T0)).await
}

async fn register_individual(state: &AppState, fields: &Fields) -> Result<Registered, ServiceError> {
    register_as(state, "individual", fields).await
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
        assert!(!hash.contains(app::testing::GOOD_PASSWORD), "[{label}]");

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
