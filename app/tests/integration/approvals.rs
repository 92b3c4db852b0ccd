//! Approving requests (APR-4, APR-5): what the final approval grants — the user enabled, the
//! user type's roles, accounts, the welcome e-mail — through the use cases, on in-memory SQLite
//! and PostgreSQL. Routing is in approvals_routing.rs, scope in approvals_scope.rs, races in
//! approvals_races.rs.

use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, pending, Approved};
use app::backend::store::accounts;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::RequestKind;
use app::testing::{
    approver, company, count_rows, exec, for_each_database, mails, migrated_state, one, queue, set_setting, staff,
    status_of, strings, BUSINESS_USER_ROLE, T0,
};

/// (account id, is the user's primary) of every account assigned to the user.
async fn assignments(state: &AppState, user: &str) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT account_id, is_primary FROM account_assignments WHERE user_id = $1 ORDER BY is_primary DESC, account_id")
        .bind(user)
        .fetch_all(state.db.pool())
        .await
        .unwrap()
}

async fn add_account(state: &AppState, org: &str, number: &str) -> String {
    let mut conn = state.db.pool().acquire().await.unwrap();
    accounts::insert(&mut conn, accounts::Owner::Organization(org), number, false, None, T0).await.unwrap()
}

fn outcome<T: std::fmt::Debug>(result: &Result<T, ServiceError>) -> String {
    format!("{result:?}")
}

// covers: APR-4, APR-5, NOT-1, CON-5
#[tokio::test]
async fn a_primary_user_approves_a_staff_registration_and_the_staff_member_gets_role_account_and_welcome() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let pat = approver(&state, &acme.primary).await;

        let rows = pending(&state, &pat, 0, 25).await.unwrap();
        let seen: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.kind,
                    r.username.as_str(),
                    r.email.as_deref(),
                    r.user_type.as_deref(),
                    r.company.as_deref(),
                    r.current_step,
                    r.step_count,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![(
                request.as_str(),
                RequestKind::Registration,
                "ann.lee",
                Some("ann.lee@example.com"),
                Some("Business user"),
                Some("Acme Tools"),
                1,
                1
            )],
            "[{label}] APR-4: the queue shows the staff member's registration"
        );

        clock.advance_ms(MINUTE_MS);
        let decided = approve(&state, &pat, &request, "  Welcome aboard  ", &[]).await;
        assert_eq!(decided.ok(), Some(Approved::Final { user_id: ann.clone() }), "[{label}]");

        let (status, start_at): (String, Option<i64>) =
            sqlx::query_as("SELECT status, start_at FROM users WHERE id = $1")
                .bind(&ann)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!((status.as_str(), start_at), ("active", Some(T0 + MINUTE_MS)), "[{label}] enabled, starting now");
        let granted = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&ann]).await;
        assert_eq!(granted, vec![BUSINESS_USER_ROLE.to_owned()], "[{label}] the user type's role");
        let primary_account =
            one(&state, "SELECT id FROM accounts WHERE organization_id = $1 AND is_company_primary = 1", &[&acme.org])
                .await;
        assert_eq!(
            assignments(&state, &ann).await,
            vec![(primary_account, 1)],
            "[{label}] the company's primary account"
        );
        assert_eq!(
            mails(&state, "approved").await,
            vec!["ann.lee@example.com".to_owned()],
            "[{label}] the welcome e-mail"
        );
        let (request_status, decided_at): (String, Option<i64>) =
            sqlx::query_as("SELECT status, decided_at FROM requests WHERE id = $1")
                .bind(&request)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!((request_status.as_str(), decided_at), ("approved", Some(T0 + MINUTE_MS)), "[{label}]");
        let decisions: Vec<(i64, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT step, decision, decided_by, comment FROM request_decisions WHERE request_id = $1")
                .bind(&request)
                .fetch_all(state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            decisions,
            vec![(1, "approved".into(), Some(acme.primary.clone()), Some("Welcome aboard".into()))],
            "[{label}] the decision keeps the trimmed comment"
        );
        let audit = strings(&state, "SELECT action FROM audit_log WHERE subject_id = $1", &[&request]).await;
        assert_eq!(audit, vec!["request.approved".to_owned()], "[{label}] CON-5");
        assert!(queue(&state, &pat).await.is_empty(), "[{label}] the request left the queue");
    })
    .await;
}

// covers: APR-5
#[tokio::test]
async fn an_approver_who_selects_accounts_assigns_exactly_those() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let branch = add_account(&state, &acme.org, "A-BRANCH01").await;
        let depot = add_account(&state, &acme.org, "A-DEPOT001").await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let pat = approver(&state, &acme.primary).await;
        approve(&state, &pat, &request, "", &[depot.clone(), branch.clone()])
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let mut expected = vec![(depot, 1), (branch, 0)];
        expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(
            assignments(&state, &ann).await,
            expected,
            "[{label}] the first selected account is primary; no other"
        );
    })
    .await;
}

// covers: APR-5, SEC-5
#[tokio::test]
async fn selecting_an_account_of_another_company_is_refused_and_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let foreign = one(&state, "SELECT id FROM accounts WHERE organization_id = $1", &[&globex.org]).await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let pat = approver(&state, &acme.primary).await;
        let tables = ["request_decisions", "account_assignments", "user_roles", "outbox", "audit_log", "accounts"];
        let mut before = Vec::new();
        for t in tables {
            before.push(count_rows(&state.db, t).await);
        }
        let result = approve(&state, &pat, &request, "", &[foreign]).await;
        match &result {
            Err(ServiceError::Validation(errors)) => assert_eq!(errors[0].field, "accounts", "[{label}]"),
            other => panic!("[{label}] expected a validation error, got {}", outcome(other)),
        }
        let mut after = Vec::new();
        for t in tables {
            after.push(count_rows(&state.db, t).await);
        }
        assert_eq!(after, before, "[{label}] nothing written");
        assert_eq!(status_of(&state, "requests", &request).await, "pending", "[{label}]");
        assert_eq!(status_of(&state, "users", &ann).await, "pending", "[{label}]");
        // The failed attempt left the request decidable.
        assert!(matches!(approve(&state, &pat, &request, "", &[]).await, Ok(Approved::Final { .. })), "[{label}]");
    })
    .await;
}

// covers: APR-5
#[tokio::test]
async fn a_company_without_an_active_account_gets_a_new_one_only_while_auto_create_account_is_on() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        exec(&state, "UPDATE accounts SET status = 'inactive' WHERE organization_id = $1", &[&acme.org]).await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let pat = approver(&state, &acme.primary).await;
        approve(&state, &pat, &request, "", &[]).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let assigned: Vec<(Option<String>, String, i64)> = sqlx::query_as(
            "SELECT a.organization_id, a.status, aa.is_primary FROM account_assignments aa JOIN accounts a ON a.id = aa.account_id \
             WHERE aa.user_id = $1",
        )
        .bind(&ann)
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        assert_eq!(assigned, vec![(Some(acme.org.clone()), "active".into(), 1)], "[{label}] a new company account");
        let active = strings(&state, "SELECT id FROM accounts WHERE organization_id = $1 AND status = 'active'", &[&acme.org]).await;
        assert_eq!(active.len(), 1, "[{label}]");

        exec(&state, "UPDATE accounts SET status = 'inactive' WHERE organization_id = $1", &[&acme.org]).await;
        set_setting(&state, "auto_create_account", "0").await;
        let (bob, request) = staff(&state, &acme, "bob.ray").await;
        approve(&state, &pat, &request, "", &[]).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(assignments(&state, &bob).await.is_empty(), "[{label}] setting off: no account is created");
        assert_eq!(count_rows(&state.db, "accounts").await, 2, "[{label}]");
    })
    .await;
}
