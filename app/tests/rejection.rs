//! Rejection and its clean-up (APR-6, REJ-1, REJ-3, REJ-4) through the use cases, on in-memory
//! SQLite and PostgreSQL.
#![cfg(feature = "ssr")]

use app::backend::authz::{company_approver, merchant_approver, Approver};
use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, assignable_accounts, pending, reject};
use app::backend::services::bootstrap;
use app::backend::store::{accounts, organizations, persons};
use app::backend::testing::register;
use app::backend::testing::Fields;
use app::backend::testing::{count_rows, exec, for_each_database, individual_fields, migrated_state, one, strings};
use app::backend::{new_id, settings, AppState, ServiceError, TestClock};
use app::domain::{ConflictCode, Language};

const T0: i64 = 1_800_000_000_000;

struct Company {
    primary: String,
    org: String,
    registry_id: String,
}

fn person(username: &str, first_name: &str) -> Fields {
    let mut fields = individual_fields(username);
    fields.insert("first_name".into(), first_name.into());
    fields.insert("email".into(), format!("{}@example.com", username.to_lowercase()));
    fields
}

fn company_fields(name: &str, username: &str) -> Fields {
    let mut fields = person(username, "Pat");
    for (k, v) in [
        ("company_name", name),
        ("address_line1", "1 Main St"),
        ("city", "Springfield"),
        ("postal_code", "12345"),
        ("country", "US"),
    ] {
        fields.insert(k.into(), v.into());
    }
    fields
}

async fn company(state: &AppState, name: &str, username: &str) -> Company {
    let registered = register(state, "company_primary", &company_fields(name, username), Language::English)
        .await
        .expect("company registration");
    let org = one(state, "SELECT organization_id FROM users WHERE id = $1", &[&registered.user_id]).await;
    Company { primary: registered.user_id, org, registry_id: registered.registry_id.expect("a Registry ID") }
}

async fn request_of(state: &AppState, user: &str) -> String {
    one(state, "SELECT id FROM requests WHERE user_id = $1", &[user]).await
}

/// A staff member's registration awaiting approval: (user id, request id).
async fn staff(state: &AppState, company: &Company, username: &str) -> (String, String) {
    let mut fields = person(username, "Ann");
    fields.insert("registry_id".into(), company.registry_id.clone());
    let registered = register(state, "company_business", &fields, Language::English).await.expect("staff registration");
    assert!(registered.needs_approval);
    let request = request_of(state, &registered.user_id).await;
    (registered.user_id, request)
}

async fn approver(state: &AppState, user_id: &str) -> Approver {
    company_approver(state, user_id).await.unwrap_or_else(|e| panic!("{user_id} should be an approver: {e:?}"))
}

async fn status_of(state: &AppState, table: &str, id: &str) -> String {
    one(state, &format!("SELECT status FROM {table} WHERE id = $1"), &[id]).await
}

async fn contact_of(state: &AppState, user: &str) -> String {
    one(state, "SELECT contact_id FROM users WHERE id = $1", &[user]).await
}

async fn person_of(state: &AppState, user: &str) -> String {
    one(state, "SELECT person_id FROM users WHERE id = $1", &[user]).await
}

async fn account_statuses(state: &AppState, org: &str) -> Vec<String> {
    strings(state, "SELECT status FROM accounts WHERE organization_id = $1", &[org]).await
}

/// (status, released) of a user: a released username is free for anyone (REG-8).
async fn user_state(state: &AppState, user: &str) -> (String, bool) {
    let (status, released_at): (String, Option<i64>) =
        sqlx::query_as("SELECT status, released_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(state.db.pool())
            .await
            .unwrap();
    (status, released_at.is_some())
}

/// The merchant admin `admin`, who is the universal approver by default, after the forced
/// password change (LOG-3) has been done.
async fn universal_approver(state: &AppState) -> Approver {
    bootstrap::ensure_merchant_admin(state, Some("Admin-password-for-tests-1")).await.expect("admin");
    let admin = one(state, "SELECT id FROM users WHERE lower_username = 'admin'", &[]).await;
    exec(state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
    approver(state, &admin).await
}

/// Routes `type_key` to a one-step definition decided by the universal approver (APR-2).
async fn needs_universal_approval(state: &AppState, type_key: &str) {
    let id = new_id();
    exec(state, "INSERT INTO approval_definitions (id, key, name, created_at) VALUES ($1, $1, 'Universal', 0)", &[&id])
        .await;
    exec(
        state,
        "INSERT INTO approval_steps (id, definition_id, position, approver_kind) VALUES ($1, $2, 1, 'universal')",
        &[&new_id(), &id],
    )
    .await;
    exec(state, "UPDATE user_types SET approval_definition_id = $1 WHERE key = $2", &[&id, type_key]).await;
}

/// A company registered while `company_primary` needs the universal approver's decision.
async fn pending_company(state: &AppState, name: &str, username: &str) -> (Company, String) {
    let registered = register(state, "company_primary", &company_fields(name, username), Language::English)
        .await
        .expect("company registration");
    assert!(registered.needs_approval, "company_primary is routed to the universal approver");
    let org = one(state, "SELECT organization_id FROM users WHERE id = $1", &[&registered.user_id]).await;
    let request = request_of(state, &registered.user_id).await;
    let registry_id = registered.registry_id.expect("a Registry ID");
    (Company { primary: registered.user_id, org, registry_id }, request)
}

async fn set_setting(state: &AppState, key: &str, value: &str) {
    let mut conn = state.db.pool().acquire().await.unwrap();
    settings::set(&mut conn, key, value, T0).await.unwrap();
}

// covers: REJ-1, APR-6, REG-8, NOT-1, APR-9
#[tokio::test]
async fn rejecting_a_new_business_user_releases_the_username_at_once_and_inactivates_the_contact() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (ann, request) = staff(&state, &acme, "Ann.Lee").await;
        let pat = approver(&state, &acme.primary).await;
        clock.advance_ms(MINUTE_MS);
        reject(&state, &pat, &request, "We could not confirm that you work here")
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));

        assert_eq!(user_state(&state, &ann).await, ("rejected".into(), true), "[{label}] released at once");
        assert_eq!(status_of(&state, "contacts", &contact_of(&state, &ann).await).await, "inactive", "[{label}]");
        assert_eq!(status_of(&state, "requests", &request).await, "rejected", "[{label}]");
        assert_eq!(status_of(&state, "organizations", &acme.org).await, "active", "[{label}] the company stays");
        assert_eq!(account_statuses(&state, &acme.org).await, vec!["active".to_owned()], "[{label}] its account too");
        assert!(pending(&state, &pat, 0, 25).await.unwrap().is_empty(), "[{label}] APR-6: the request left the queue");

        let mail: Vec<(String, String, String)> =
            sqlx::query_as("SELECT recipient, text_body, html_body FROM outbox WHERE template = 'rejected'")
                .fetch_all(state.db.pool())
                .await
                .unwrap();
        assert_eq!(mail.len(), 1, "[{label}] one rejection e-mail");
        let (recipient, text, html) = &mail[0];
        assert_eq!(recipient, "ann.lee@example.com", "[{label}]");
        assert!(
            text.contains("We could not confirm that you work here"),
            "[{label}] the comment is in the text: {text}"
        );
        assert!(html.contains("We could not confirm that you work here"), "[{label}] and in the HTML");
        let decision: (String, Option<String>, Option<String>) =
            sqlx::query_as("SELECT decision, decided_by, comment FROM request_decisions WHERE request_id = $1")
                .bind(&request)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            decision,
            ("rejected".into(), Some(acme.primary.clone()), Some("We could not confirm that you work here".into()))
        );

        let again = reject(&state, &pat, &request, "twice").await;
        assert!(matches!(&again, Err(ServiceError::Conflict(ConflictCode::AlreadyDecided))), "[{label}] {again:?}");
        let again = approve(&state, &pat, &request, "", &[]).await;
        assert!(matches!(&again, Err(ServiceError::Conflict(ConflictCode::AlreadyDecided))), "[{label}] {again:?}");

        // Someone else takes the username right away, typed in another case (REG-8).
        let someone_else = register(&state, "individual", &person("ANN.LEE", "Bea"), Language::English).await;
        assert!(someone_else.is_ok(), "[{label}] the released username is free: {someone_else:?}");
    })
    .await;
}

// covers: REJ-1, APR-2, REG-7
#[tokio::test]
async fn rejecting_a_new_companys_only_user_inactivates_the_organization_its_contact_and_accounts() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        needs_universal_approval(&state, "company_primary").await;
        let admin = universal_approver(&state).await;
        let (globex, request) = pending_company(&state, "Globex", "kim.owner").await;
        assert_eq!(account_statuses(&state, &globex.org).await, vec!["active".to_owned()], "[{label}] before");
        let queue: Vec<String> = pending(&state, &admin, 0, 25).await.unwrap().into_iter().map(|r| r.id).collect();
        assert_eq!(queue, vec![request.clone()], "[{label}] the universal approver decides it");

        reject(&state, &admin, &request, "Not a business").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(user_state(&state, &globex.primary).await, ("rejected".into(), true), "[{label}]");
        assert_eq!(status_of(&state, "organizations", &globex.org).await, "inactive", "[{label}]");
        assert_eq!(
            status_of(&state, "contacts", &contact_of(&state, &globex.primary).await).await,
            "inactive",
            "[{label}]"
        );
        assert_eq!(account_statuses(&state, &globex.org).await, vec!["inactive".to_owned()], "[{label}]");

        // Its Registry ID no longer admits staff (REG-7: an inactive Registry ID is an error).
        let mut fields = person("ann.lee", "Ann");
        fields.insert("registry_id".into(), globex.registry_id.clone());
        match register(&state, "company_business", &fields, Language::English).await {
            Err(ServiceError::Validation(errors)) => {
                assert!(errors.iter().any(|e| e.field == "registry_id"), "[{label}] {errors:?}")
            }
            other => panic!("[{label}] expected a registry_id error, got {other:?}"),
        }
    })
    .await;
}

// covers: REJ-1
#[tokio::test]
async fn a_rejected_primary_user_leaves_the_organization_active_when_it_has_another_active_contact() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        needs_universal_approval(&state, "company_primary").await;
        let admin = universal_approver(&state).await;
        let (globex, request) = pending_company(&state, "Globex", "kim.owner").await;
        {
            let mut conn = state.db.pool().acquire().await.unwrap();
            let lee = persons::insert(
                &mut conn,
                &persons::NewPerson { first_name: "Lee", last_name: "Chen", language: "en" },
                T0,
            )
            .await
            .unwrap();
            organizations::insert_contact(
                &mut conn,
                &lee,
                &globex.org,
                app::domain::ContactKind::EmployeeOf,
                Some("Buyer"),
                T0,
            )
            .await
            .unwrap();
        }
        reject(&state, &admin, &request, "").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(user_state(&state, &globex.primary).await, ("rejected".into(), true), "[{label}] the username goes");
        assert_eq!(status_of(&state, "organizations", &globex.org).await, "active", "[{label}] the company stays");
        assert_eq!(
            account_statuses(&state, &globex.org).await,
            vec!["active".to_owned()],
            "[{label}] with its account"
        );
        let text = one(&state, "SELECT text_body FROM outbox WHERE template = 'rejected'", &[]).await;
        assert!(!text.contains("comment:"), "[{label}] no empty comment section: {text}");
    })
    .await;
}

// covers: REJ-1, APR-8
#[tokio::test]
async fn rejecting_a_first_time_individual_inactivates_the_person() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        needs_universal_approval(&state, "individual").await;
        universal_approver(&state).await;
        let admin = one(&state, "SELECT id FROM users WHERE lower_username = 'admin'", &[]).await;
        let merchant = merchant_approver(&state, &admin).await.unwrap();
        let registered = register(&state, "individual", &person("ann.lee", "Ann"), Language::English).await.unwrap();
        assert!(registered.needs_approval, "[{label}]");
        let request = request_of(&state, &registered.user_id).await;
        reject(&state, &merchant, &request, "Duplicate").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(user_state(&state, &registered.user_id).await, ("rejected".into(), true), "[{label}]");
        assert_eq!(
            status_of(&state, "persons", &person_of(&state, &registered.user_id).await).await,
            "inactive",
            "[{label}]"
        );
        assert_eq!(
            count_rows(&state.db, "accounts").await,
            0,
            "[{label}] no account was opened for the pending individual"
        );
    })
    .await;
}

// covers: REJ-3
#[tokio::test]
async fn with_inactivation_off_a_rejection_only_releases_the_username() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        set_setting(&state, "inactivate_customer_data_on_rejection", "0").await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        reject(&state, &approver(&state, &acme.primary).await, &request, "")
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(user_state(&state, &ann).await, ("rejected".into(), true), "[{label}]");
        assert_eq!(
            status_of(&state, "contacts", &contact_of(&state, &ann).await).await,
            "active",
            "[{label}] contact kept"
        );
        assert_eq!(
            status_of(&state, "persons", &person_of(&state, &ann).await).await,
            "active",
            "[{label}] person kept"
        );

        needs_universal_approval(&state, "company_primary").await;
        let admin = universal_approver(&state).await;
        let (globex, request) = pending_company(&state, "Globex", "kim.owner").await;
        reject(&state, &admin, &request, "").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(user_state(&state, &globex.primary).await, ("rejected".into(), true), "[{label}]");
        assert_eq!(status_of(&state, "organizations", &globex.org).await, "active", "[{label}] organization kept");
        assert_eq!(
            status_of(&state, "contacts", &contact_of(&state, &globex.primary).await).await,
            "active",
            "[{label}]"
        );
        assert_eq!(account_statuses(&state, &globex.org).await, vec!["active".to_owned()], "[{label}] accounts kept");

        needs_universal_approval(&state, "individual").await;
        let registered = register(&state, "individual", &person("bea.ray", "Bea"), Language::English).await.unwrap();
        reject(&state, &admin, &request_of(&state, &registered.user_id).await, "").await.unwrap();
        assert_eq!(user_state(&state, &registered.user_id).await, ("rejected".into(), true), "[{label}]");
        assert_eq!(
            status_of(&state, "persons", &person_of(&state, &registered.user_id).await).await,
            "active",
            "[{label}]"
        );
    })
    .await;
}

// covers: REJ-4, APR-5
#[tokio::test]
async fn inactive_accounts_are_never_offered_nor_assignable() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let closed = {
            let mut conn = state.db.pool().acquire().await.unwrap();
            accounts::insert(&mut conn, accounts::Owner::Organization(&acme.org), "A-OPEN0001", false, None, T0)
                .await
                .unwrap();
            accounts::insert(&mut conn, accounts::Owner::Organization(&acme.org), "A-CLOSED01", false, None, T0)
                .await
                .unwrap()
        };
        exec(&state, "UPDATE accounts SET status = 'inactive' WHERE id = $1", &[&closed]).await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let offered = assignable_accounts(&state, &request).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let numbers: Vec<&str> = offered.iter().map(|a| a.account_number.as_str()).collect();
        assert_eq!(numbers.len(), 2, "[{label}] the primary account and A-OPEN0001: {numbers:?}");
        assert!(numbers.contains(&"A-OPEN0001") && !numbers.contains(&"A-CLOSED01"), "[{label}] {numbers:?}");
        assert!(offered[0].is_company_primary, "[{label}] the company's primary account first");

        let pat = approver(&state, &acme.primary).await;
        let result = approve(&state, &pat, &request, "", std::slice::from_ref(&closed)).await;
        assert!(
            matches!(result, Err(ServiceError::Validation(_))),
            "[{label}] an inactive account cannot be assigned: {result:?}"
        );
        assert_eq!(status_of(&state, "users", &ann).await, "pending", "[{label}]");
    })
    .await;
}

// covers: APR-6
#[tokio::test]
async fn a_rejection_comment_over_2000_characters_is_refused_and_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let result = reject(&state, &approver(&state, &acme.primary).await, &request, &"x".repeat(2001)).await;
        match result {
            Err(ServiceError::Validation(errors)) => assert_eq!(errors[0].field, "comments", "[{label}]"),
            other => panic!("[{label}] expected a comments error, got {other:?}"),
        }
        assert_eq!(user_state(&state, &ann).await, ("pending".into(), false), "[{label}]");
        assert_eq!(status_of(&state, "requests", &request).await, "pending", "[{label}]");
        assert_eq!(count_rows(&state.db, "request_decisions").await, 0, "[{label}]");
    })
    .await;
}
