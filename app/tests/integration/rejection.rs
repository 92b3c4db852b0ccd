//! Rejection and its clean-up (APR-6, REJ-1, REJ-3, REJ-4) through the use cases, on in-memory
//! SQLite and PostgreSQL.

use app::backend::authz::merchant_approver;
use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, assignable_accounts, pending, reject};
use app::backend::store::{accounts, organizations, persons};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::ConflictCode;
use app::testing::{
    approver, company, count_rows, exec, for_each_database, migrated_state, needs_universal_approval, one,
    pending_company, person, register_as, request_of, set_setting, staff, status_of, strings, universal_approver, T0,
};

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
        let someone_else = register_as(&state, "individual", &person("ANN.LEE", "Bea")).await;
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
        match register_as(&state, "company_business", &fields).await {
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
        let registered = register_as(&state, "individual", &person("ann.lee", "Ann")).await.unwrap();
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
        let registered = register_as(&state, "individual", &person("bea.ray", "Bea")).await.unwrap();
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
