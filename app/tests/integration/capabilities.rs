//! Capabilities (SEC-5, ADM-9, LOG-2): the rule that opens a page is the rule that shows its
//! menu entry, and the usable-user rule of sign-in holds on every later request. SQLite and
//! PostgreSQL.

use app::backend::authz::{self, Rule};
use app::backend::{new_id, ServiceError, TestClock};
use app::testing::{colleague, company, exec, for_each_database, migrated_state, sign_in, GOOD_PASSWORD, T0};

/// A company role holding only `PENDING_APPROVALS_GROUP` (APR-3): a group approver.
async fn group_approver_role(state: &app::backend::AppState, organization: &str) -> String {
    let role = new_id();
    exec(
        state,
        "INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) \
         VALUES ($1, NULL, 'Group approver', NULL, $2, 0, 0)",
        &[&role, organization],
    )
    .await;
    exec(
        state,
        "INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, 'PENDING_APPROVALS_GROUP')",
        &[&role],
    )
    .await;
    role
}

// covers: ADM-9, APR-3, APR-4, SEC-5
#[tokio::test]
async fn a_group_approver_sees_pending_approvals_in_the_menu_exactly_as_the_page_admits_them() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let role = group_approver_role(&state, &acme.org).await;
        let grouped = colleague(&state, &acme, "gil.group", Some(&role)).await;
        let plain = colleague(&state, &acme, "ann.lee", None).await;
        for (user, expected) in [(&grouped, true), (&plain, false), (&acme.primary, true)] {
            let caller = authz::caller(&state, user).await.expect("a usable user");
            let in_menu = authz::menu(&caller).iter().any(|item| item.href == "/admin/approvals");
            let page_opens = caller.company_approver().is_ok();
            assert_eq!(in_menu, expected, "[{label}] menu for {user}");
            assert_eq!(page_opens, in_menu, "[{label}] the page follows the same rule for {user}");
            assert_eq!(Rule::CompanyApprover.allows(&caller), expected, "[{label}]");
        }
    })
    .await;
}

// covers: LOG-2, SEC-2, PAR-1
#[tokio::test]
async fn a_user_whose_contact_ends_or_who_is_made_inactive_has_no_capability_on_the_next_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        sign_in(&state, "ann.lee", GOOD_PASSWORD).await.expect("ann signs in");
        assert!(authz::caller(&state, &ann).await.is_ok(), "[{label}] usable while the contact is active");

        exec(
            &state,
            "UPDATE contacts SET status = 'inactive' WHERE id = (SELECT contact_id FROM users WHERE id = $1)",
            &[&ann],
        )
        .await;
        // PAR-1: the login still works, but only to complete the registration.
        let partial = authz::caller(&state, &ann).await.expect("the login");
        let refused = partial.signed_in();
        assert!(matches!(refused, Err(ServiceError::IncompleteRegistration)), "[{label}] contact ended: {refused:?}");
        assert!(partial.company_approver().is_err(), "[{label}] no company capability");
        assert!(sign_in(&state, "ann.lee", GOOD_PASSWORD).await.is_ok(), "[{label}] sign-in leads to PAR-1");

        let pat = acme.primary.clone();
        let ended = format!("UPDATE users SET end_at = {} WHERE id = $1", T0 - 1);
        exec(&state, &ended, &[&pat]).await;
        let refused = authz::caller(&state, &pat).await;
        assert!(matches!(refused, Err(ServiceError::Unauthenticated)), "[{label}] end-dated: {refused:?}");
    })
    .await;
}
