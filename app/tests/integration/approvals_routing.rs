//! Who decides a request (APR-2, APR-3, APR-8, ADM-9, LOG-3): steps in order with the last
//! comment shown to the next, approval groups limited to the member's company, merchant admins
//! deciding everything, and only holders of PENDING_APPROVALS. SQLite and PostgreSQL.

use app::backend::authz::{self, company_approver, merchant_approver};
use app::backend::new_id;
use app::backend::services::approvals::{approve, decidable, pending, reject, Approved};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::ApproverKind::{Group, PrimaryUsers, User};
use app::testing::{
    approver, colleague, company, definition, exec, for_each_database, mails, merchant_admin, migrated_state, queue,
    route_user_type, second_primary_user, staff, status_of, strings, T0,
};

/// (account ids) assigned to the user.
async fn assignments(state: &AppState, user: &str) -> Vec<String> {
    strings(state, "SELECT account_id FROM account_assignments WHERE user_id = $1", &[user]).await
}

fn outcome<T: std::fmt::Debug>(result: &Result<T, ServiceError>) -> String {
    format!("{result:?}")
}

// covers: APR-2, APR-5, NOT-1
#[tokio::test]
async fn a_two_step_request_moves_from_the_primary_users_to_the_named_user_with_the_first_comment() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
        let two_steps = definition(&state, &[(PrimaryUsers, None, None), (User, Some(&lee), None)]).await;
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
        let by_group = definition(&state, &[(Group, None, Some(&group))]).await;
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
        assert_eq!(
            menu_of(acme.primary.clone()).await,
            vec![
                "/profile",
                "/admin/approvals",
                "/admin/contacts",
                "/admin/roles",
                "/company",
                "/company/administrators"
            ],
            "[{label}] ADM-9 primary user"
        );
        // A Business User reads the company's details and administrators but approves nothing.
        assert_eq!(
            menu_of(ann.clone()).await,
            vec!["/profile", "/company", "/company/administrators"],
            "[{label}] ADM-9 business user"
        );
        assert!(menu_of(admin.clone()).await.is_empty(), "[{label}] LOG-3: nothing before the password change");
        exec(&state, "UPDATE users SET must_change_password = 0 WHERE id = $1", &[&admin]).await;
        // The universal approver (APR-2) sees the page its requests are on, as the page admits it.
        assert_eq!(
            menu_of(admin.clone()).await,
            vec!["/profile", "/admin/approvals", "/console"],
            "[{label}] ADM-9 merchant admin and universal approver"
        );
        assert!(merchant_approver(&state, &admin).await.is_ok(), "[{label}] after the change");
    })
    .await;
}
