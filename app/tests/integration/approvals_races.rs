//! APR-9: two approvers deciding the same request at the same time — exactly one decision takes
//! effect, the other is told it was already decided; no double accounts, grants or e-mails. On a
//! file-backed SQLite database and PostgreSQL, where two connections really run at once.

use std::sync::Arc;

use app::backend::authz::Approver;
use app::backend::services::approvals::{approve, reject};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::ConflictCode;
use app::testing::{
    approver, company, concurrent_databases, migrated_state, second_primary_user, staff, status_of, strings, T0,
};

fn outcome<T: std::fmt::Debug>(result: &Result<T, ServiceError>) -> String {
    format!("{result:?}")
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
    for db in concurrent_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
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
    for db in concurrent_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
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
