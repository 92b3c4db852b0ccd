//! Deciding requests (APR-2 … APR-9, LOG-3, SEC-5, ADM-9) through the use cases, on in-memory
//! SQLite and PostgreSQL; the races of APR-9 on a file-backed SQLite database and PostgreSQL.
#![cfg(feature = "ssr")]

use std::sync::Arc;

use app::backend::authz::{self, company_approver, merchant_approver, Approver};
use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, decidable, pending, reject, Approved};
use app::backend::services::bootstrap;
use app::backend::store::{accounts, roles};
use app::backend::testing::register;
use app::backend::testing::Fields;
use app::backend::testing::{
    count_rows, exec, for_each_database, individual_fields, migrated_state, one, postgres, strings, TestDb,
};
use app::backend::{new_id, settings, AppState, ServiceError, TestClock};
use app::domain::{ConflictCode, Language};

const T0: i64 = 1_800_000_000_000;
const BUSINESS_USER_ROLE: &str = "00000000-0000-7000-8000-000000000101";
const PRIMARY_USER_ROLE: &str = "00000000-0000-7000-8000-000000000102";

/// A company registered through `company_primary`: its first (primary) user and organization.
struct Company {
    primary: String,
    org: String,
    registry_id: String,
}

fn person(username: &str, first_name: &str) -> Fields {
    let mut fields = individual_fields(username);
    fields.insert("first_name".into(), first_name.into());
    fields.insert("email".into(), format!("{username}@example.com"));
    fields
}

async fn company(state: &AppState, name: &str, username: &str) -> Company {
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
    let registered =
        register(state, "company_primary", &fields, Language::English).await.expect("company registration");
    let org = one(state, "SELECT organization_id FROM users WHERE id = $1", &[&registered.user_id]).await;
    Company { primary: registered.user_id, org, registry_id: registered.registry_id.expect("a Registry ID") }
}

/// A staff member's registration awaiting approval: (user id, request id).
async fn staff(state: &AppState, company: &Company, username: &str) -> (String, String) {
    let mut fields = person(username, "Ann");
    fields.insert("registry_id".into(), company.registry_id.clone());
    let registered = register(state, "company_business", &fields, Language::English).await.expect("staff registration");
    assert!(registered.needs_approval, "a staff registration waits for approval");
    let request = one(state, "SELECT id FROM requests WHERE user_id = $1", &[&registered.user_id]).await;
    (registered.user_id, request)
}

async fn approver(state: &AppState, user_id: &str) -> Approver {
    company_approver(state, user_id).await.unwrap_or_else(|e| panic!("{user_id} should be an approver: {e:?}"))
}

/// An approved staff member of `company`, optionally also holding `role`.
async fn colleague(state: &AppState, company: &Company, username: &str, role: Option<&str>) -> String {
    let (user, request) = staff(state, company, username).await;
    approve(state, &approver(state, &company.primary).await, &request, "", &[]).await.expect("approve colleague");
    if let Some(role) = role {
        let mut conn = state.db.pool().acquire().await.unwrap();
        roles::grant(&mut conn, &user, role, None, T0).await.unwrap();
    }
    user
}

/// A new approval definition with `steps` (approver kind, named user or group) in order.
async fn definition(state: &AppState, steps: &[(&str, Option<&str>, Option<&str>)]) -> String {
    let id = new_id();
    sqlx::query("INSERT INTO approval_definitions (id, key, name, created_at) VALUES ($1, $1, 'Test definition', $2)")
        .bind(&id)
        .bind(T0)
        .execute(state.db.pool())
        .await
        .unwrap();
    for (i, (kind, user, group)) in steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO approval_steps (id, definition_id, position, approver_kind, approver_user_id, approval_group_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(i as i64 + 1)
        .bind(*kind)
        .bind(*user)
        .bind(*group)
        .execute(state.db.pool())
        .await
        .unwrap();
    }
    id
}

async fn route_user_type(state: &AppState, type_key: &str, definition_id: &str) {
    exec(state, "UPDATE user_types SET approval_definition_id = $1 WHERE key = $2", &[definition_id, type_key]).await;
}

async fn queue(state: &AppState, approver: &Approver) -> Vec<String> {
    pending(state, approver, 0, 100).await.expect("queue").into_iter().map(|r| r.id).collect()
}

async fn status_of(state: &AppState, table: &str, id: &str) -> String {
    one(state, &format!("SELECT status FROM {table} WHERE id = $1"), &[id]).await
}

async fn mails(state: &AppState, template: &str) -> Vec<String> {
    strings(state, "SELECT recipient FROM outbox WHERE template = $1 ORDER BY recipient", &[template]).await
}

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
                    r.kind.as_str(),
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
                "registration",
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
        let mut conn = state.db.pool().acquire().await.unwrap();
        settings::set(&mut conn, "auto_create_account", "0", T0).await.unwrap();
        drop(conn);
        let (bob, request) = staff(&state, &acme, "bob.ray").await;
        approve(&state, &pat, &request, "", &[]).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(assignments(&state, &bob).await.is_empty(), "[{label}] setting off: no account is created");
        assert_eq!(count_rows(&state.db, "accounts").await, 2, "[{label}]");
    })
    .await;
}

// covers: APR-2, APR-5, NOT-1
#[tokio::test]
async fn a_two_step_request_moves_from_the_primary_users_to_the_named_user_with_the_first_comment() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = colleague(&state, &acme, "lee.chen", Some(PRIMARY_USER_ROLE)).await;
        let two_steps = definition(&state, &[("primary_users", None, None), ("user", Some(&lee), None)]).await;
        route_user_type(&state, "company_business", &two_steps).await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let (pat, lee_approver) = (approver(&state, &acme.primary).await, approver(&state, &lee).await);
        assert_eq!(queue(&state, &pat).await, vec![request.clone()], "[{label}] step 1: the primary users");
        let lee_mails = mails(&state, "approval_needed").await.iter().filter(|r| r.starts_with("lee.chen")).count();

        let first = approve(&state, &pat, &request, "Checked her badge", &[]).await;
        assert_eq!(first.ok(), Some(Approved::StillPending), "[{label}]");
        let (status, step): (String, i64) = sqlx::query_as("SELECT status, current_step FROM requests WHERE id = $1")
            .bind(&request)
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!((status.as_str(), step), ("pending", 2), "[{label}]");
        assert_eq!(status_of(&state, "users", &ann).await, "pending", "[{label}] not enabled yet");
        assert!(
            assignments(&state, &ann).await.is_empty() && mails(&state, "approved").await.len() == 1,
            "[{label}] only lee's welcome"
        );
        assert!(queue(&state, &pat).await.is_empty(), "[{label}] gone from the first approver's queue");
        assert!(matches!(decidable(&state, &pat, &request).await, Err(ServiceError::NotFound)), "[{label}]");
        let again = approve(&state, &pat, &request, "", &[]).await;
        assert!(matches!(again, Err(ServiceError::NotFound)), "[{label}] step 2 is not pat's: {}", outcome(&again));

        let rows = pending(&state, &lee_approver, 0, 25).await.unwrap();
        let seen: Vec<_> =
            rows.iter().map(|r| (r.id.as_str(), r.current_step, r.step_count, r.last_comment.as_deref())).collect();
        assert_eq!(
            seen,
            vec![(request.as_str(), 2, 2, Some("Checked her badge"))],
            "[{label}] the comment is shown to the next"
        );
        let lee_mails_now = mails(&state, "approval_needed").await.iter().filter(|r| r.starts_with("lee.chen")).count();
        assert_eq!(lee_mails_now, lee_mails + 1, "[{label}] the next approver is told");

        let last = approve(&state, &lee_approver, &request, "", &[]).await;
        assert_eq!(last.ok(), Some(Approved::Final { user_id: ann.clone() }), "[{label}]");
        assert_eq!(status_of(&state, "users", &ann).await, "active", "[{label}]");
        let steps = strings(
            &state,
            "SELECT decided_by FROM request_decisions WHERE request_id = $1 ORDER BY step",
            &[&request],
        )
        .await;
        assert_eq!(steps, vec![acme.primary.clone(), lee.clone()], "[{label}] one decision per step");
    })
    .await;
}

// covers: APR-3
#[tokio::test]
async fn approval_group_members_with_the_group_permission_see_only_their_own_companys_requests() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let group_role = new_id();
        exec(
            &state,
            "INSERT INTO roles (id, key, name, is_seeded, created_at) VALUES ($1, NULL, 'Group approver', 0, 0)",
            &[&group_role],
        )
        .await;
        exec(
            &state,
            "INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, 'PENDING_APPROVALS_GROUP')",
            &[&group_role],
        )
        .await;
        let ana = colleague(&state, &acme, "ana.acme", Some(&group_role)).await;
        let ivy = colleague(&state, &acme, "ivy.acme", None).await;
        let gus = colleague(&state, &globex, "gus.globex", Some(&group_role)).await;
        let group = new_id();
        exec(
            &state,
            "INSERT INTO approval_groups (id, name, organization_id, created_at) VALUES ($1, 'Regional', NULL, 0)",
            &[&group],
        )
        .await;
        for member in [&ana, &ivy, &gus] {
            exec(&state, "INSERT INTO approval_group_members (group_id, user_id) VALUES ($1, $2)", &[&group, member])
                .await;
        }
        let by_group = definition(&state, &[("group", None, Some(&group))]).await;
        route_user_type(&state, "company_business", &by_group).await;
        exec(&state, "DELETE FROM outbox", &[]).await;
        let (_, acme_request) = staff(&state, &acme, "al.acme").await;
        let (_, globex_request) = staff(&state, &globex, "gil.globex").await;
        assert_eq!(
            mails(&state, "approval_needed").await,
            vec!["ana.acme@example.com".to_owned(), "gus.globex@example.com".to_owned()],
            "[{label}] NOT-1: each request's 'approval needed' goes to the members of its company who may decide it"
        );

        let ana_approver = approver(&state, &ana).await;
        assert_eq!(queue(&state, &ana_approver).await, vec![acme_request.clone()], "[{label}] ana sees Acme only");
        assert_eq!(
            queue(&state, &approver(&state, &gus).await).await,
            vec![globex_request.clone()],
            "[{label}] gus sees Globex only"
        );
        assert!(
            matches!(decidable(&state, &ana_approver, &globex_request).await, Err(ServiceError::NotFound)),
            "[{label}]"
        );
        let refused = company_approver(&state, &ivy).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden)),
            "[{label}] a member without the permission: {}",
            outcome(&refused)
        );
        assert!(queue(&state, &approver(&state, &acme.primary).await).await.is_empty(), "[{label}] not a member");
        let decided = approve(&state, &ana_approver, &acme_request, "", &[]).await;
        assert!(matches!(decided, Ok(Approved::Final { .. })), "[{label}] {}", outcome(&decided));
    })
    .await;
}

async fn merchant_admin(state: &AppState) -> String {
    bootstrap::ensure_merchant_admin(state, Some("Admin-password-for-tests-1")).await.expect("admin");
    one(state, "SELECT id FROM users WHERE lower_username = 'admin'", &[]).await
}

// covers: APR-8, CON-5
#[tokio::test]
async fn a_merchant_admin_sees_and_decides_the_requests_of_every_company() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = merchant_admin(&state).await;
        exec(&state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let (ann, acme_request) = staff(&state, &acme, "ann.lee").await;
        let (gil, globex_request) = staff(&state, &globex, "gil.globex").await;
        let merchant = merchant_approver(&state, &admin).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let mut seen = queue(&state, &merchant).await;
        seen.sort();
        let mut expected = vec![acme_request.clone(), globex_request.clone()];
        expected.sort();
        assert_eq!(seen, expected, "[{label}] every company's requests");
        assert!(decidable(&state, &merchant, &globex_request).await.is_ok(), "[{label}]");
        assert_eq!(
            approve(&state, &merchant, &globex_request, "ok", &[]).await.ok(),
            Some(Approved::Final { user_id: gil.clone() })
        );
        reject(&state, &merchant, &acme_request, "Unknown to us").await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(status_of(&state, "users", &gil).await, "active", "[{label}]");
        assert_eq!(status_of(&state, "users", &ann).await, "rejected", "[{label}]");
        let by = strings(
            &state,
            "SELECT actor_user_id FROM audit_log WHERE action IN ('request.approved', 'request.rejected')",
            &[],
        )
        .await;
        assert_eq!(by, vec![admin.clone(), admin.clone()], "[{label}] the audit names the merchant admin");
        let refused = merchant_approver(&state, &acme.primary).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] a primary user is no merchant admin");
    })
    .await;
}

// covers: ADM-9, LOG-3, APR-4
#[tokio::test]
async fn only_users_holding_pending_approvals_and_without_a_forced_password_change_may_approve() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = merchant_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let refused = company_approver(&state, &ann).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] a Business User: {}", outcome(&refused));
        for result in [company_approver(&state, &admin).await, merchant_approver(&state, &admin).await] {
            assert!(
                matches!(result, Err(ServiceError::Forbidden)),
                "[{label}] LOG-3 admin before the change: {}",
                outcome(&result)
            );
        }

        let menu_of = |user: String| {
            let state = state.clone();
            async move {
                let caller = authz::caller(&state, &user).await.expect("an active user");
                authz::menu(&caller).into_iter().map(|item| item.href).collect::<Vec<_>>()
            }
        };
        assert_eq!(menu_of(acme.primary.clone()).await, vec!["/admin/approvals"], "[{label}] ADM-9 primary user");
        assert!(menu_of(ann.clone()).await.is_empty(), "[{label}] ADM-9 business user");
        assert!(menu_of(admin.clone()).await.is_empty(), "[{label}] LOG-3: nothing before the password change");
        exec(&state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
        // The universal approver (APR-2) sees the page its requests are on, as the page admits it.
        assert_eq!(
            menu_of(admin.clone()).await,
            vec!["/admin/approvals", "/console/approvals"],
            "[{label}] ADM-9 merchant admin and universal approver"
        );
        assert!(merchant_approver(&state, &admin).await.is_ok(), "[{label}] after the change");
    })
    .await;
}

// covers: SEC-5, APR-4
#[tokio::test]
async fn a_primary_user_can_neither_see_nor_decide_another_companys_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let (gil, globex_request) = staff(&state, &globex, "gil.globex").await;
        let pat = approver(&state, &acme.primary).await;
        let tables =
            ["request_decisions", "account_assignments", "user_roles", "outbox", "audit_log", "users", "contacts"];
        let mut before = Vec::new();
        for t in tables {
            before.push(count_rows(&state.db, t).await);
        }
        assert!(queue(&state, &pat).await.is_empty(), "[{label}] not listed");
        let seen = decidable(&state, &pat, &globex_request).await;
        assert!(matches!(seen, Err(ServiceError::NotFound)), "[{label}] decidable: {}", outcome(&seen));
        let approved = approve(&state, &pat, &globex_request, "mine now", &[]).await;
        assert!(
            matches!(approved, Err(ServiceError::NotFound | ServiceError::Forbidden)),
            "[{label}] approve: {}",
            outcome(&approved)
        );
        let rejected = reject(&state, &pat, &globex_request, "mine now").await;
        assert!(
            matches!(rejected, Err(ServiceError::NotFound | ServiceError::Forbidden)),
            "[{label}] reject: {}",
            outcome(&rejected)
        );
        let mut after = Vec::new();
        for t in tables {
            after.push(count_rows(&state.db, t).await);
        }
        assert_eq!(after, before, "[{label}] nothing written");
        assert_eq!(status_of(&state, "requests", &globex_request).await, "pending", "[{label}]");
        assert_eq!(status_of(&state, "users", &gil).await, "pending", "[{label}]");
        assert_eq!(
            queue(&state, &approver(&state, &globex.primary).await).await,
            vec![globex_request],
            "[{label}] still Globex's"
        );
    })
    .await;
}

/// Databases where two connections really run at once: a SQLite file (in-memory SQLite has a
/// single connection) and PostgreSQL when configured.
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

enum Decision {
    Approve,
    Reject,
}

/// Runs the two decisions on two tasks released together; their results in order.
async fn race(state: &AppState, request: &str, deciders: [(Approver, Decision); 2]) -> Vec<Result<bool, ServiceError>> {
    let start = Arc::new(tokio::sync::Barrier::new(2));
    let mut tasks = Vec::new();
    for (approver, decision) in deciders {
        let (state, request, start) = (state.clone(), request.to_owned(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            match decision {
                Decision::Approve => approve(&state, &approver, &request, "mine", &[]).await.map(|_| true),
                Decision::Reject => reject(&state, &approver, &request, "mine").await.map(|_| false),
            }
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("decision task"));
    }
    results
}

/// Exactly one decision took effect; the other saw "already decided" (or, reading after the
/// close, that the request is no longer in its queue). Answers whether the winner approved.
fn single_winner(results: Vec<Result<bool, ServiceError>>, label: &str) -> bool {
    let shown: Vec<String> = results.iter().map(outcome).collect();
    let winners: Vec<bool> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(winners.len(), 1, "[{label}] exactly one decision succeeds: {shown:?}");
    let loser_ok = results.iter().any(|r| match r {
        Err(ServiceError::Conflict(code)) => *code == ConflictCode::AlreadyDecided,
        Err(ServiceError::NotFound) => true,
        _ => false,
    });
    assert!(loser_ok, "[{label}] the other is told it was already decided: {shown:?}");
    winners[0]
}

/// Decisions, account assignments, role grants, welcome and rejection e-mails of one request.
async fn decision_counts(state: &AppState, request: &str, user: &str, username: &str) -> [usize; 5] {
    let email = format!("{username}@example.com");
    [
        strings(state, "SELECT id FROM request_decisions WHERE request_id = $1", &[request]).await.len(),
        strings(state, "SELECT account_id FROM account_assignments WHERE user_id = $1", &[user]).await.len(),
        strings(state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[user]).await.len(),
        strings(state, "SELECT id FROM outbox WHERE template = 'approved' AND recipient = $1", &[&email]).await.len(),
        strings(state, "SELECT id FROM outbox WHERE template = 'rejected' AND recipient = $1", &[&email]).await.len(),
    ]
}

// covers: APR-9
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_approvers_approving_at_once_produce_exactly_one_approval() {
    for db in race_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = colleague(&state, &acme, "lee.chen", Some(PRIMARY_USER_ROLE)).await;
        let (pat, lee) = (approver(&state, &acme.primary).await, approver(&state, &lee).await);
        for round in 0..3 {
            let username = format!("staff.{round}");
            let (user, request) = staff(&state, &acme, &username).await;
            let results =
                race(&state, &request, [(pat.clone(), Decision::Approve), (lee.clone(), Decision::Approve)]).await;
            assert!(single_winner(results, label), "[{label}] round {round}");
            assert_eq!(
                decision_counts(&state, &request, &user, &username).await,
                [1, 1, 1, 1, 0],
                "[{label}] round {round}: decisions, accounts, roles, welcome, rejection"
            );
            assert_eq!(status_of(&state, "users", &user).await, "active", "[{label}]");
        }
    }
}

// covers: APR-9, REJ-1
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_and_a_rejection_at_once_leave_exactly_one_decision() {
    for db in race_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = colleague(&state, &acme, "lee.chen", Some(PRIMARY_USER_ROLE)).await;
        let (pat, lee) = (approver(&state, &acme.primary).await, approver(&state, &lee).await);
        for round in 0..3 {
            let username = format!("staff.{round}");
            let (user, request) = staff(&state, &acme, &username).await;
            let results =
                race(&state, &request, [(pat.clone(), Decision::Approve), (lee.clone(), Decision::Reject)]).await;
            let approved = single_winner(results, label);
            let counts = decision_counts(&state, &request, &user, &username).await;
            let (expected, user_status) =
                if approved { ([1, 1, 1, 1, 0], "active") } else { ([1, 0, 0, 0, 1], "rejected") };
            assert_eq!(counts, expected, "[{label}] round {round} (approved: {approved})");
            assert_eq!(status_of(&state, "users", &user).await, user_status, "[{label}] round {round}");
        }
    }
}
