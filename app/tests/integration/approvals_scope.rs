//! What an approver can learn and touch outside their own queue (SEC-5, APR-4, APR-9): another
//! company's requests, decided or not, look exactly like unknown ones, and no page number can
//! make the queue misbehave. SQLite and PostgreSQL.

use app::backend::new_id;
use app::backend::services::approvals::{approve, decidable, pending, reject, MAX_PAGE};
use app::backend::{ServiceError, TestClock};
use app::testing::{approver, company, count_rows, for_each_database, migrated_state, queue, staff, status_of, T0};

fn outcome<T: std::fmt::Debug>(result: &Result<T, ServiceError>) -> String {
    format!("{:?}", result.as_ref().err())
}

// covers: SEC-5, APR-9
#[tokio::test]
async fn another_companys_decided_request_is_answered_exactly_like_an_unknown_id() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let (_, approved) = staff(&state, &globex, "gil.globex").await;
        let (_, rejected) = staff(&state, &globex, "gus.globex").await;
        let kim = approver(&state, &globex.primary).await;
        approve(&state, &kim, &approved, "", &[]).await.expect("kim approves");
        reject(&state, &kim, &rejected, "").await.expect("kim rejects");
        let pat = approver(&state, &acme.primary).await;
        let unknown = new_id();

        for decided in [&approved, &rejected] {
            let answers = [
                (
                    "approve",
                    outcome(&approve(&state, &pat, decided, "", &[]).await),
                    outcome(&approve(&state, &pat, &unknown, "", &[]).await),
                ),
                (
                    "reject",
                    outcome(&reject(&state, &pat, decided, "").await),
                    outcome(&reject(&state, &pat, &unknown, "").await),
                ),
                (
                    "decidable",
                    outcome(&decidable(&state, &pat, decided).await),
                    outcome(&decidable(&state, &pat, &unknown).await),
                ),
            ];
            for (what, foreign, missing) in answers {
                assert_eq!(foreign, missing, "[{label}] {what}: a decided foreign request looks unknown");
                assert_eq!(foreign, "Some(NotFound)", "[{label}] {what}");
            }
        }
        assert_eq!(status_of(&state, "requests", &approved).await, "approved", "[{label}]");
        assert_eq!(status_of(&state, "requests", &rejected).await, "rejected", "[{label}]");
    })
    .await;
}

// covers: APR-4, SEC-5
#[tokio::test]
async fn an_absurd_queue_page_is_not_found_and_never_overflows() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        staff(&state, &acme, "ann.lee").await;
        let pat = approver(&state, &acme.primary).await;
        let last = pending(&state, &pat, MAX_PAGE, 25).await;
        assert_eq!(last.map(|rows| rows.len()).ok(), Some(0), "[{label}] the last page is merely empty");
        for page in [MAX_PAGE + 1, i64::MAX / 25 + 1, i64::MAX] {
            let rows = pending(&state, &pat, page, 25).await;
            assert!(matches!(rows, Err(ServiceError::NotFound)), "[{label}] page {page}: {:?}", rows.map(|r| r.len()));
        }
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
