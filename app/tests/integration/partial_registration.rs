//! Partial registration (PAR-1 … PAR-3, REJ-2) through the capabilities and use cases, on
//! SQLite and PostgreSQL: the ways a user's customer record becomes incomplete, the types each
//! is offered, the pre-filled confirmation, and what approval and rejection do.

use app::backend::authz::{caller, merchant_approver, PartialUser};
use app::backend::services::approvals::{approve, reject};
use app::backend::services::console::users::create_bare_user;
use app::backend::services::registration::Registered;
use app::backend::services::registration::{confirm, confirmation_choices, confirmation_defaults, confirmation_setup};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::console_user::BareUserForm;
use app::domain::{Completeness, Known, Language, RegistrationForm};
use app::testing::{
    colleague, company, console_admin, exec, for_each_database, migrated_state, one, ready_merchant_admin, strings,
    Fields, T0,
};

/// Every registrable type is active, so PAR-1's table shows whole.
async fn ready(url: &str) -> AppState {
    let state = migrated_state(url, TestClock::at(T0)).await;
    exec(&state, "UPDATE user_types SET is_active = 1", &[]).await;
    state
}

async fn partial(state: &AppState, user: &str) -> PartialUser {
    caller(state, user).await.expect("a usable login").partial_user().expect("an incomplete record")
}

async fn offered(state: &AppState, user: &str) -> Vec<String> {
    let partial = partial(state, user).await;
    confirmation_choices(state, &partial).await.expect("choices").into_iter().map(|t| t.key).collect()
}

/// Confirms `key` as the confirmation server function does: the type's rules, the form, the use case.
async fn confirm_as(
    state: &AppState,
    user: &str,
    key: &str,
    fields: &[(&str, &str)],
) -> Result<Registered, ServiceError> {
    let partial = partial(state, user).await;
    let setup = confirmation_setup(state, &partial, key).await?;
    let fields: Fields = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let body = serde_html_form::to_string(&fields).expect("encodes");
    let form: RegistrationForm = serde_html_form::from_str(&body).expect("a form");
    let confirmation = form.validate_confirmation(&setup.rules).map_err(ServiceError::Validation)?;
    confirm(state, &partial, &setup, confirmation, Language::English).await
}

async fn pending_request(state: &AppState, user: &str) -> String {
    one(state, "SELECT id FROM requests WHERE user_id = $1 AND status = 'pending'", &[user]).await
}

async fn bare_user(state: &AppState, username: &str) -> String {
    let admin = console_admin(state).await;
    let form = BareUserForm {
        first_name: "Bo".into(),
        last_name: "Bare".into(),
        email: format!("{username}@example.com"),
        username: username.into(),
    };
    create_bare_user(state, &admin, &form.validate().expect("valid")).await.expect("a bare user")
}

// covers: PAR-1, PAR-2, CON-3
#[tokio::test]
async fn a_bare_user_confirms_as_an_individual_and_is_complete_at_once() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = ready(&db.url).await;
        let bo = bare_user(&state, "bo.bare").await;
        let signed_in = caller(&state, &bo).await.expect("usable").signed_in();
        assert!(matches!(signed_in, Err(ServiceError::IncompleteRegistration)), "[{label}] {signed_in:?}");
        assert_eq!(partial(&state, &bo).await.known(), Known::Nothing, "[{label}]");
        assert_eq!(
            offered(&state, &bo).await,
            ["individual", "company_primary", "company_business", "partner_primary", "partner_business"],
            "[{label}] every active type but online access, in their order"
        );
        let known = confirmation_defaults(&state, &partial(&state, &bo).await).await.expect("defaults");
        let known: Vec<(&str, &str)> = known.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            known,
            [("first_name", "Bo"), ("last_name", "Bare"), ("email", "bo.bare@example.com")],
            "[{label}] PAR-2: pre-filled with what is known"
        );

        let done = confirm_as(
            &state,
            &bo,
            "individual",
            &[
                ("first_name", "Bo"),
                ("last_name", "Barefoot"),
                ("email", "bo@new.example"),
                ("phone", "+1 415 555 0111"),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(!done.needs_approval, "[{label}] auto-approval: on to the page asked for");
        let bo_now = caller(&state, &bo).await.expect("usable");
        assert_eq!(bo_now.completeness(), Completeness::Complete, "[{label}]");
        assert!(bo_now.signed_in().is_ok(), "[{label}] secure pages open");
        assert_eq!(bo_now.scope().accounts.len(), 1, "[{label}] an account of his own");
        let person = one(&state, "SELECT person_id FROM users WHERE id = $1", &[&bo]).await;
        assert_eq!(
            one(&state, "SELECT status || ' ' || last_name FROM persons WHERE id = $1", &[&person]).await,
            "active Barefoot"
        );
        assert_eq!(
            one(&state, "SELECT address FROM email_addresses WHERE person_id = $1 AND is_primary = 1", &[&person])
                .await,
            "bo@new.example",
            "[{label}]"
        );
        assert_eq!(
            one(
                &state,
                "SELECT ut.key FROM users u JOIN user_types ut ON ut.id = u.user_type_id WHERE u.id = $1",
                &[&bo]
            )
            .await,
            "individual"
        );
    })
    .await;
}

// covers: PAR-1, PAR-2, PAR-3, REJ-2
#[tokio::test]
async fn a_business_user_whose_contact_ended_is_partial_and_rejection_keeps_username_and_contact() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = ready(&db.url).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        assert_eq!(caller(&state, &ann).await.expect("usable").completeness(), Completeness::Complete);
        exec(
            &state,
            "UPDATE contacts SET status = 'inactive' WHERE id = (SELECT contact_id FROM users WHERE id = $1)",
            &[&ann],
        )
        .await;
        let ann_caller = caller(&state, &ann).await.expect("the login still works (PAR-1)");
        assert!(matches!(ann_caller.signed_in(), Err(ServiceError::IncompleteRegistration)), "[{label}]");
        assert!(ann_caller.company_admin(app::domain::Permission::OrgDetails).is_err(), "[{label}] no company rights");
        assert_eq!(partial(&state, &ann).await.known(), Known::BusinessUserOfCompany, "[{label}]");
        assert_eq!(offered(&state, &ann).await, ["company_business", "partner_primary"], "[{label}] PAR-1's row");
        let known = confirmation_defaults(&state, &partial(&state, &ann).await).await.expect("defaults");
        assert!(known.contains(&("registry_id", acme.registry_id.clone())), "[{label}] {known:?}");
        let individual = confirm_as(&state, &ann, "individual", &[("first_name", "Ann")]).await;
        assert!(matches!(individual, Err(ServiceError::NotFound)), "[{label}] a type not offered: {individual:?}");

        let ann_form = [
            ("registry_id", acme.registry_id.as_str()),
            ("first_name", "Ann"),
            ("last_name", "Lee"),
            ("email", "ann.lee@example.com"),
        ];
        let waiting = confirm_as(&state, &ann, "company_business", &ann_form).await.expect("confirmed");
        assert!(waiting.needs_approval, "[{label}] the pending page");
        assert_eq!(caller(&state, &ann).await.expect("usable").completeness(), Completeness::AwaitingApproval);
        let contact = one(&state, "SELECT contact_id FROM users WHERE id = $1", &[&ann]).await;
        let contact_before = one(&state, "SELECT status FROM contacts WHERE id = $1", &[&contact]).await;

        let admin = merchant_approver(&state, &ready_merchant_admin(&state).await).await.expect("admin");
        let request = pending_request(&state, &ann).await;
        assert_eq!(one(&state, "SELECT CAST(is_partial AS TEXT) FROM requests WHERE id = $1", &[&request]).await, "1");
        reject(&state, &admin, &request, "Not with us any more").await.expect("rejected");
        let (status, released): (String, Option<i64>) =
            sqlx::query_as("SELECT status, released_at FROM users WHERE id = $1")
                .bind(&ann)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!((status.as_str(), released), ("active", None), "[{label}] PAR-3: the username is kept");
        assert_eq!(
            one(&state, "SELECT status FROM contacts WHERE id = $1", &[&contact]).await,
            contact_before,
            "[{label}] contact unchanged"
        );
        assert_eq!(partial(&state, &ann).await.known(), Known::BusinessUserOfCompany, "[{label}] partial again");

        confirm_as(&state, &ann, "company_business", &ann_form).await.expect("confirmed again");
        approve(&state, &admin, &pending_request(&state, &ann).await, "", &[]).await.expect("approved");
        let ann_now = caller(&state, &ann).await.expect("usable");
        assert_eq!(ann_now.completeness(), Completeness::Complete, "[{label}] complete once approved");
        assert_eq!(one(&state, "SELECT status FROM contacts WHERE id = $1", &[&contact]).await, "active");
        assert_eq!(ann_now.scope().accounts.len(), 1, "[{label}] the company's account");
    })
    .await;
}

// covers: PAR-1
#[tokio::test]
async fn users_of_a_partner_are_offered_the_partner_rows_of_the_table() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = ready(&db.url).await;
        let acme = company(&state, "Acme Partners", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        exec(&state, "UPDATE organizations SET is_partner = 1 WHERE id = $1", &[&acme.org]).await;
        exec(
            &state,
            "DELETE FROM account_assignments WHERE account_id IN (SELECT id FROM accounts WHERE organization_id = $1)",
            &[&acme.org],
        )
        .await;
        exec(&state, "DELETE FROM accounts WHERE organization_id = $1", &[&acme.org]).await;
        assert_eq!(offered(&state, &ann).await, ["company_business", "partner_business"], "[{label}] no account");
        exec(
            &state,
            "UPDATE users SET user_type_id = (SELECT id FROM user_types WHERE key = 'partner_business') WHERE id = $1",
            &[&ann],
        )
        .await;
        assert_eq!(offered(&state, &ann).await, ["partner_business"], "[{label}] a partner user");
        assert_eq!(
            strings(
                &state,
                "SELECT key FROM user_types WHERE is_active = 1 AND kind LIKE 'online_access%' ORDER BY key",
                &[]
            )
            .await,
            ["online_access_business", "online_access_individual"],
            "[{label}] active, yet never offered to someone who has a login"
        );
    })
    .await;
}

// covers: PAR-1, API-3
#[tokio::test]
async fn a_bare_user_created_through_the_api_is_partial_too() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = ready(&db.url).await;
        let (_, secret) = app::testing::integration_user(&state, "crm", &app::testing::all_scopes(), &[]).await;
        let token = app::testing::api_token(&state, "crm", &secret).await;
        let integration = app::backend::authz::integration(&state, &token).await.expect("a token holder");
        let form = BareUserForm {
            first_name: "Cy".into(),
            last_name: "Api".into(),
            email: "cy@example.com".into(),
            username: "cy.api".into(),
        };
        let cy = create_bare_user(&state, &integration, &form.validate().expect("valid"))
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(partial(&state, &cy).await.known(), Known::Nothing, "[{label}]");
    })
    .await;
}
