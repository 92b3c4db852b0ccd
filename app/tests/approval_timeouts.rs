//! Approval timeouts (APR-7): reminders, moving on to the next step and finally to the universal
//! approver, and the job run by two instances at once (file-backed SQLite and PostgreSQL).
#![cfg(feature = "ssr")]

use std::sync::Arc;

use app::backend::authz::{company_approver, merchant_approver, Approver};
use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, pending, reroute_timed_out, Approved};
use app::backend::services::bootstrap;
use app::backend::store::roles;
use app::backend::testing::register;
use app::backend::testing::Fields;
use app::backend::testing::{
    exec, for_each_database, individual_fields, migrated_state, one, postgres, strings, TestDb,
};
use app::backend::{new_id, settings, AppState, TestClock};
use app::domain::Language;

const T0: i64 = 1_800_000_000_000;
const PRIMARY_USER_ROLE: &str = "00000000-0000-7000-8000-000000000102";
const HOUR: i64 = 60 * MINUTE_MS;

struct Company {
    primary: String,
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
    let registered = register(state, "company_primary", &fields, Language::English).await.expect("company");
    Company { primary: registered.user_id, registry_id: registered.registry_id.expect("a Registry ID") }
}

/// A staff member's registration awaiting approval: (user id, request id).
async fn staff(state: &AppState, company: &Company, username: &str) -> (String, String) {
    let mut fields = person(username, "Ann");
    fields.insert("registry_id".into(), company.registry_id.clone());
    let registered = register(state, "company_business", &fields, Language::English).await.expect("staff");
    let request = one(state, "SELECT id FROM requests WHERE user_id = $1", &[&registered.user_id]).await;
    (registered.user_id, request)
}

async fn approver(state: &AppState, user_id: &str) -> Approver {
    company_approver(state, user_id).await.unwrap_or_else(|e| panic!("{user_id} should be an approver: {e:?}"))
}

async fn queue(state: &AppState, approver: &Approver) -> Vec<String> {
    pending(state, approver, 0, 100).await.expect("queue").into_iter().map(|r| r.id).collect()
}

/// A second primary user of `company`: approved as staff, then given the Primary User role.
async fn second_primary_user(state: &AppState, company: &Company, username: &str) -> String {
    let (user, request) = staff(state, company, username).await;
    approve(state, &approver(state, &company.primary).await, &request, "", &[]).await.expect("approve");
    let mut conn = state.db.pool().acquire().await.unwrap();
    roles::grant(&mut conn, &user, PRIMARY_USER_ROLE, None, T0).await.unwrap();
    user
}

/// Staff registrations go to the company's primary users, then to `named_user` (APR-2).
async fn two_steps_for_staff(state: &AppState, named_user: &str) {
    let id = new_id();
    exec(state, "INSERT INTO approval_definitions (id, key, name, created_at) VALUES ($1, $1, 'Two steps', 0)", &[&id])
        .await;
    exec(
        state,
        "INSERT INTO approval_steps (id, definition_id, position, approver_kind) VALUES ($1, $2, 1, 'primary_users')",
        &[&new_id(), &id],
    )
    .await;
    exec(
        state,
        "INSERT INTO approval_steps (id, definition_id, position, approver_kind, approver_user_id) VALUES ($1, $2, 2, 'user', $3)",
        &[&new_id(), &id, named_user],
    )
    .await;
    exec(state, "UPDATE user_types SET approval_definition_id = $1 WHERE key = 'company_business'", &[&id]).await;
}

async fn set_timeout(state: &AppState, minutes: &str) {
    let mut conn = state.db.pool().acquire().await.unwrap();
    settings::set(&mut conn, "approval_timeout_minutes", minutes, T0).await.unwrap();
}

/// The admin `admin` (the default universal approver) after the forced password change.
async fn admin(state: &AppState) -> String {
    bootstrap::ensure_merchant_admin(state, Some("Admin-password-for-tests-1")).await.expect("admin");
    let admin = one(state, "SELECT id FROM users WHERE lower_username = 'admin'", &[]).await;
    exec(state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
    admin
}

/// (current step, rerouted to the universal approver, status) of a request.
async fn position(state: &AppState, request: &str) -> (i64, i64, String) {
    sqlx::query_as("SELECT current_step, rerouted_to_universal, status FROM requests WHERE id = $1")
        .bind(request)
        .fetch_one(state.db.pool())
        .await
        .unwrap()
}

async fn reminders(state: &AppState) -> Vec<String> {
    strings(state, "SELECT recipient FROM outbox WHERE template = 'approval_reminder' ORDER BY recipient", &[]).await
}

// covers: APR-7
#[tokio::test]
async fn with_the_default_timeout_of_zero_nothing_ever_moves() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (_, request) = staff(&state, &acme, "ann.lee").await;
        clock.advance_ms(30 * 24 * HOUR);
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 0, "[{label}]");
        assert_eq!(position(&state, &request).await, (1, 0, "pending".into()), "[{label}]");
        assert!(reminders(&state).await.is_empty(), "[{label}] no reminder");
        assert_eq!(
            queue(&state, &approver(&state, &acme.primary).await).await,
            vec![request],
            "[{label}] still the primary user's"
        );
    })
    .await;
}

// covers: APR-7, APR-2, APR-8, NOT-1
#[tokio::test]
async fn a_step_waiting_past_the_timeout_reminds_its_approvers_and_moves_on_then_to_the_universal_approver() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let admin = admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
        two_steps_for_staff(&state, &lee).await;
        set_timeout(&state, "60").await;
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let (pat, lee_approver) = (approver(&state, &acme.primary).await, approver(&state, &lee).await);
        let admin_as_universal = approver(&state, &admin).await;
        assert!(queue(&state, &admin_as_universal).await.is_empty(), "[{label}] not the universal approver's yet");

        clock.advance_ms(HOUR);
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 0, "[{label}] exactly 60 minutes is not longer than 60");
        assert_eq!(position(&state, &request).await, (1, 0, "pending".into()), "[{label}]");

        clock.advance_ms(1);
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 1, "[{label}]");
        assert_eq!(position(&state, &request).await, (2, 0, "pending".into()), "[{label}] on to step 2");
        assert_eq!(
            reminders(&state).await,
            vec!["lee.chen@example.com".to_owned(), "pat.owner@example.com".to_owned()],
            "[{label}] step 1's approvers, the primary users, are reminded"
        );
        let text = one(
            &state,
            "SELECT text_body FROM outbox WHERE template = 'approval_reminder' AND recipient = 'pat.owner@example.com'",
            &[],
        )
        .await;
        assert!(text.contains("Ann Lee") && text.contains("/admin/approvals"), "[{label}] {text}");
        assert!(queue(&state, &pat).await.is_empty(), "[{label}] gone from step 1's queue");
        assert_eq!(queue(&state, &lee_approver).await, vec![request.clone()], "[{label}] in step 2's queue");
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 0, "[{label}] the new step starts its own wait");

        clock.advance_ms(HOUR + 1);
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 1, "[{label}]");
        assert_eq!(position(&state, &request).await, (2, 1, "pending".into()), "[{label}] past the last step");
        let reminded = strings(
            &state,
            "SELECT recipient FROM outbox WHERE template = 'approval_reminder' AND recipient = 'lee.chen@example.com'",
            &[],
        )
        .await;
        assert_eq!(reminded.len(), 2, "[{label}] step 2's approver is reminded too");
        assert!(queue(&state, &lee_approver).await.is_empty(), "[{label}] gone from the named user's queue");
        assert_eq!(
            queue(&state, &admin_as_universal).await,
            vec![request.clone()],
            "[{label}] the universal approver has it"
        );
        let merchant = merchant_approver(&state, &admin).await.unwrap();
        assert_eq!(queue(&state, &merchant).await, vec![request.clone()], "[{label}] APR-8: and the console");
        let decisions =
            strings(&state, "SELECT decision FROM request_decisions WHERE request_id = $1", &[&request]).await;
        assert_eq!(decisions, vec!["rerouted".to_owned(), "rerouted".to_owned()], "[{label}]");

        let decided = approve(&state, &admin_as_universal, &request, "Approved after the timeout", &[]).await;
        assert_eq!(decided.ok(), Some(Approved::Final { user_id: ann.clone() }), "[{label}]");
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&ann]).await, "active", "[{label}]");
    })
    .await;
}

/// A SQLite file (in-memory SQLite has one connection) and PostgreSQL when configured.
struct SharedDb {
    url: String,
    label: &'static str,
    _dir: Option<tempfile::TempDir>,
    _postgres: Option<TestDb>,
}

async fn shared_databases() -> Vec<SharedDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("timeouts.db").display());
    let mut databases = vec![SharedDb { url, label: "sqlite file", _dir: Some(dir), _postgres: None }];
    if let Some(pg) = postgres().await {
        databases.push(SharedDb { url: pg.url.clone(), label: pg.label, _dir: None, _postgres: Some(pg) });
    }
    databases
}

// covers: APR-7, OPS-3
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_running_the_timeout_job_at_once_move_each_request_only_once() {
    for db in shared_databases().await {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        set_timeout(&state, "60").await;
        let mut requests = Vec::new();
        for n in 0..4 {
            requests.push(staff(&state, &acme, &format!("staff.{n}")).await.1);
        }
        clock.advance_ms(HOUR + 1);
        let start = Arc::new(tokio::sync::Barrier::new(2));
        let jobs: Vec<_> = (0..2)
            .map(|_| {
                let (state, start) = (state.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    reroute_timed_out(&state).await
                })
            })
            .collect();
        let mut moved = Vec::new();
        for job in jobs {
            moved.push(job.await.expect("job task").unwrap_or_else(|e| panic!("[{label}] {e:?}")));
        }
        assert_eq!(moved.iter().sum::<usize>(), requests.len(), "[{label}] every request moved once in all: {moved:?}");
        for request in &requests {
            assert_eq!(
                position(&state, request).await,
                (1, 1, "pending".into()),
                "[{label}] to the universal approver"
            );
            let rerouted = strings(&state, "SELECT id FROM request_decisions WHERE request_id = $1", &[request]).await;
            assert_eq!(rerouted.len(), 1, "[{label}] one 'rerouted' decision per request");
        }
        assert_eq!(
            reminders(&state).await.len(),
            requests.len(),
            "[{label}] one reminder per request to its one approver"
        );
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 0, "[{label}] nothing left to move");
    }
}
