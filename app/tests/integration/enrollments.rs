//! Enrollments (APR-10): add-on services that grant roles; one with an approval definition goes
//! through the Pending Approvals queue, listed only once the user's registration is approved.

use app::backend::authz::company_approver;
use app::backend::services::approvals::{approve, decidable, pending, Approved};
use app::backend::services::enrollments::{request_enrollment, Enrolled};
use app::backend::{AppState, ServiceError, TestClock};
use app::testing::{
    approver, company, enrollment, exec, for_each_database, individual_fields, mails, migrated_state, queue,
    register_as, second_primary_user, staff, status_of, strings, universal_approver, DEFAULT_DEFINITION, T0,
};

/// Sam, a staff member of Acme (primary user Pat) awaiting approval: (Pat, Sam, Sam's request).
async fn company_and_staff(state: &AppState) -> (String, String, String) {
    let acme = company(state, "Acme", "pat.primary").await;
    let (sam, registration) = staff(state, &acme, "sam.staff").await;
    (acme.primary, sam, registration)
}

// covers: APR-10, APR-4, NOT-1
#[tokio::test]
async fn an_enrollment_waits_until_the_registration_is_approved_then_grants_its_roles() {
    for_each_database(|db| async move {
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let role = enrollment(&state, "trade", Some(DEFAULT_DEFINITION)).await;
        let (primary, staff, registration) = company_and_staff(&state).await;
        let Enrolled::Pending { request_id } = request_enrollment(&state, &staff, "trade").await.expect("enroll")
        else {
            panic!("{}: an enrollment with a definition waits for approval", db.label);
        };
        let approver = company_approver(&state, &primary).await.expect("approver");
        let listed =
            |rows: Vec<app::backend::store::approvals::PendingRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let before = listed(pending(&state, &approver, 0, 25).await.expect("queue"));
        assert_eq!(
            before,
            vec![registration.clone()],
            "{}: the enrollment is hidden while the registration waits",
            db.label
        );

        let asked = mails(&state, "approval_needed").await;
        assert_eq!(asked, vec!["pat.primary@example.com".to_owned()], "{}: for the registration only", db.label);
        approve(&state, &approver, &registration, "", &[]).await.expect("approve registration");
        let after = listed(pending(&state, &approver, 0, 25).await.expect("queue"));
        assert_eq!(after, vec![request_id.clone()], "{}: the enrollment is listed once the user is approved", db.label);
        let asked = mails(&state, "approval_needed").await;
        assert_eq!(asked.len(), 2, "{}: NOT-1: and its approvers are told now: {asked:?}", db.label);

        approve(&state, &approver, &request_id, "ok", &[]).await.expect("approve enrollment");
        let roles = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&staff]).await;
        assert!(roles.contains(&role), "{}: the enrollment's role is granted", db.label);
        assert_eq!(
            mails(&state, "enrollment_approved").await,
            vec!["pat.primary@example.com".to_owned()],
            "{}: the company's primary users are told",
            db.label
        );
    })
    .await;
}

// covers: APR-10, APR-1
#[tokio::test]
async fn an_enrollment_without_an_approval_definition_is_granted_at_once() {
    for_each_database(|db| async move {
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let role = enrollment(&state, "newsletter", None).await;
        let user = register_as(&state, "individual", &individual_fields("ivy.individual")).await.expect("individual");
        assert_eq!(
            request_enrollment(&state, &user.user_id, "newsletter").await.expect("enroll"),
            Enrolled::Granted,
            "{}",
            db.label
        );
        let roles = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&user.user_id]).await;
        assert_eq!(roles, vec![role], "{}: granted without a request", db.label);
        let requests = strings(&state, "SELECT id FROM requests WHERE kind = 'enrollment'", &[]).await;
        assert!(requests.is_empty(), "{}: no request was queued", db.label);
    })
    .await;
}

async fn enroll(state: &AppState, user: &str, key: &str) -> String {
    match request_enrollment(state, user, key).await.expect("enroll") {
        Enrolled::Pending { request_id } => request_id,
        Enrolled::Granted => panic!("an enrollment with a definition waits for approval"),
    }
}

// covers: APR-10, APR-2, NOT-1, SEC-5
#[tokio::test]
async fn a_primary_users_own_enrollment_is_decided_by_another_primary_user_never_by_themselves() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let role = enrollment(&state, "trade", Some(DEFAULT_DEFINITION)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
        exec(&state, "DELETE FROM outbox", &[]).await;
        let request = enroll(&state, &acme.primary, "trade").await;

        let pat = approver(&state, &acme.primary).await;
        assert!(!queue(&state, &pat).await.contains(&request), "[{label}] not in the requester's own queue");
        let seen = decidable(&state, &pat, &request).await;
        assert!(matches!(seen, Err(ServiceError::NotFound)), "[{label}] nor decidable by them: {:?}", seen.err());
        let own = approve(&state, &pat, &request, "", &[]).await;
        assert!(matches!(own, Err(ServiceError::NotFound)), "[{label}] nor approved by them: {own:?}");
        assert_eq!(status_of(&state, "requests", &request).await, "pending", "[{label}]");
        assert_eq!(
            mails(&state, "approval_needed").await,
            vec!["lee.chen@example.com".to_owned()],
            "[{label}] NOT-1: the other primary user is told, not the requester"
        );

        let lee = approver(&state, &lee).await;
        assert_eq!(queue(&state, &lee).await, vec![request.clone()], "[{label}] the other primary user decides");
        let decided = approve(&state, &lee, &request, "", &[]).await;
        assert_eq!(decided.ok(), Some(Approved::Final { user_id: acme.primary.clone() }), "[{label}]");
        let roles = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&acme.primary]).await;
        assert!(roles.contains(&role), "[{label}] granted");
    })
    .await;
}

// covers: APR-10, APR-2, APR-7, NOT-1
#[tokio::test]
async fn the_only_primary_users_own_enrollment_goes_on_to_the_universal_approver() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        enrollment(&state, "trade", Some(DEFAULT_DEFINITION)).await;
        let admin = universal_approver(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        exec(&state, "DELETE FROM outbox", &[]).await;
        let request = enroll(&state, &acme.primary, "trade").await;

        let pat = approver(&state, &acme.primary).await;
        assert!(queue(&state, &pat).await.is_empty(), "[{label}] not in the requester's own queue");
        assert!(matches!(decidable(&state, &pat, &request).await, Err(ServiceError::NotFound)), "[{label}]");
        assert!(
            !mails(&state, "approval_needed").await.contains(&"pat.owner@example.com".to_owned()),
            "[{label}] NOT-1: the requester is not asked to approve their own request"
        );
        assert_eq!(queue(&state, &admin).await, vec![request.clone()], "[{label}] past the last step: universal");
        let decided = approve(&state, &admin, &request, "", &[]).await;
        assert_eq!(decided.ok(), Some(Approved::Final { user_id: acme.primary.clone() }), "[{label}]");
    })
    .await;
}
