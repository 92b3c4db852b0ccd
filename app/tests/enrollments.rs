//! Enrollments (APR-10): add-on services that grant roles; one with an approval definition goes
//! through the Pending Approvals queue, listed only once the user's registration is approved.

use app::backend::authz::company_approver;
use app::backend::services::approvals::{approve, pending};
use app::backend::services::enrollments::{request_enrollment, Enrolled};
use app::backend::testing::register;
use app::backend::testing::{exec, for_each_database, individual_fields, migrated_state, one, strings};
use app::backend::{new_id, AppState, TestClock};
use app::domain::Language;

const T0: i64 = 1_800_000_000_000;
const DEFAULT_DEFINITION: &str = "00000000-0000-7000-8000-000000000201";

async fn enrollment(state: &AppState, key: &str, definition: Option<&str>) -> String {
    let (enrollment, role) = (new_id(), new_id());
    let definition = definition.unwrap_or("");
    exec(
        state,
        "INSERT INTO roles (id, key, name, is_seeded, created_at) VALUES ($1, $2, 'Trade pricing', 0, 0)",
        &[&role, &format!("{key}_role")],
    )
    .await;
    exec(
        state,
        "INSERT INTO enrollments (id, key, name, approval_definition_id, is_active, created_at) \
         VALUES ($1, $2, 'Trade pricing', NULLIF($3, ''), 1, 0)",
        &[&enrollment, key, definition],
    )
    .await;
    exec(state, "INSERT INTO enrollment_roles (enrollment_id, role_id) VALUES ($1, $2)", &[&enrollment, &role]).await;
    role
}

async fn company_and_staff(state: &AppState) -> (String, String, String) {
    let mut fields = individual_fields("pat.primary");
    fields.insert("email".into(), "pat.primary@example.com".into());
    for (k, v) in [
        ("company_name", "Acme"),
        ("address_line1", "1 Main St"),
        ("city", "Springfield"),
        ("postal_code", "12345"),
        ("country", "US"),
    ] {
        fields.insert(k.into(), v.into());
    }
    let company = register(state, "company_primary", &fields, Language::English).await.expect("company");
    let mut staff = individual_fields("sam.staff");
    staff.insert("first_name".into(), "Sam".into());
    staff.insert("email".into(), "sam.staff@example.com".into());
    staff.insert("registry_id".into(), company.registry_id.clone().expect("registry id"));
    let staff = register(state, "company_business", &staff, Language::English).await.expect("staff");
    let registration = one(state, "SELECT id FROM requests WHERE user_id = $1", &[&staff.user_id]).await;
    (company.user_id, staff.user_id, registration)
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

        approve(&state, &approver, &registration, "", &[]).await.expect("approve registration");
        let after = listed(pending(&state, &approver, 0, 25).await.expect("queue"));
        assert_eq!(after, vec![request_id.clone()], "{}: the enrollment is listed once the user is approved", db.label);

        approve(&state, &approver, &request_id, "ok", &[]).await.expect("approve enrollment");
        let roles = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&staff]).await;
        assert!(roles.contains(&role), "{}: the enrollment's role is granted", db.label);
        let mails = strings(&state, "SELECT recipient FROM outbox WHERE template = 'enrollment_approved'", &[]).await;
        assert_eq!(
            mails,
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
        let user = register(&state, "individual", &individual_fields("ivy.individual"), Language::English)
            .await
            .expect("individual");
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
