//! Approval timeouts (APR-7): reminders, moving on to the next step and finally to the universal
//! approver, and the job run by two instances at once (file-backed SQLite and PostgreSQL).

use std::sync::Arc;

use app::backend::authz::merchant_approver;
use app::backend::clock::MINUTE_MS;
use app::backend::services::approvals::{approve, reroute_timed_out, Approved};
use app::backend::{AppState, TestClock};
use app::domain::ApproverKind::{PrimaryUsers, User};
use app::testing::{
    approver, company, concurrent_databases, definition, for_each_database, migrated_state, one, queue,
    ready_merchant_admin, route_user_type, second_primary_user, set_setting, staff, strings, T0,
};

const HOUR: i64 = 60 * MINUTE_MS;

/// Staff registrations go to the company's primary users, then to `named_user` (APR-2).
async fn two_steps_for_staff(state: &AppState, named_user: &str) {
    let id = definition(state, &[(PrimaryUsers, None, None), (User, Some(named_user), None)]).await;
    route_user_type(state, "company_business", &id).await;
}

async fn set_timeout(state: &AppState, minutes: &str) {
    set_setting(state, "approval_timeout_minutes", minutes).await;
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
        let admin = ready_merchant_admin(&state).await;
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
        // With the universal approver there is no step left to move on to: a further wait moves
        // nothing, records nothing and reminds nobody again (the soak's two instances, 5 minutes
        // at a 1-minute timeout, recorded "rerouted" at the last step once a minute).
        let outbox_before = strings(&state, "SELECT recipient FROM outbox", &[]).await.len();
        clock.advance_ms(HOUR + 1);
        assert_eq!(reroute_timed_out(&state).await.unwrap(), 0, "[{label}] nothing after the universal approver");
        assert_eq!(position(&state, &request).await, (2, 1, "pending".into()), "[{label}]");
        let decisions =
            strings(&state, "SELECT decision FROM request_decisions WHERE request_id = $1", &[&request]).await;
        assert_eq!(decisions.len(), 2, "[{label}] no third 'rerouted'");
        assert_eq!(
            strings(&state, "SELECT recipient FROM outbox", &[]).await.len(),
            outbox_before,
            "[{label}] no new mail"
        );

        let decided = approve(&state, &admin_as_universal, &request, "Approved after the timeout", &[]).await;
        assert_eq!(decided.ok(), Some(Approved::Final { user_id: ann.clone() }), "[{label}]");
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&ann]).await, "active", "[{label}]");
    })
    .await;
}

// covers: APR-7, OPS-3
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_running_the_timeout_job_at_once_move_each_request_only_once() {
    for db in concurrent_databases().await {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        ready_merchant_admin(&state).await;
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
