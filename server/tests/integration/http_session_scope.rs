//! The session's account and customer over HTTP (PRO-3, PRO-7): the Accounts page and its
//! refusal for individuals (by URL and by server function), the header's switches refusing what
//! is not the user's, and a new session ID when the customer changes. SQLite and PostgreSQL.

use crate::common;

use app::backend::new_id;
use app::backend::store::accounts::{self, Owner};
use app::testing::{company_fields, exec, one, set_setting};
use common::{as_map, for_each_app, location, session_cookie_in, text_of, TestApp};
use reqwest::{header, StatusCode};

/// Registers Acme Tools over HTTP (its primary user is then signed in on `app.client`) and
/// gives the primary user a second Acme account: (organization, first account, second account).
async fn acme_with_two_accounts(app: &TestApp) -> (String, String, String) {
    let response = app.post_form("/register/company_primary", &company_fields("Acme Tools", "pat.owner")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] registered", app.label);
    let org = one(&app.state, "SELECT id FROM organizations WHERE name = 'Acme Tools'", &[]).await;
    let pat = one(&app.state, "SELECT id FROM users WHERE lower_username = 'pat.owner'", &[]).await;
    let first = one(&app.state, "SELECT id FROM accounts WHERE organization_id = $1", &[&org]).await;
    let mut conn = app.state.db.pool().acquire().await.expect("connection");
    let second = accounts::insert(&mut conn, Owner::Organization(&org), "A-SECOND01", false, None, 0).await.unwrap();
    accounts::assign(&mut conn, &pat, &second, false, 1).await.unwrap();
    drop(conn);
    (org, first, second)
}

fn header_of(html: &str) -> String {
    html[html.find("<header").expect("header")..html.find("</header>").expect("end of header")].to_owned()
}

// covers: PRO-3, REG-15, SEC-5
#[tokio::test]
async fn a_business_user_switches_the_session_account_and_makes_one_primary_without_javascript() {
    for_each_app(|app| async move {
        let label = app.label;
        let (_org, first, second) = acme_with_two_accounts(&app).await;
        let header = header_of(&app.page("/profile/accounts").await);
        assert!(header.contains("name=\"account_id\""), "[{label}] a switch for several accounts");

        let foreign = {
            let other = new_id();
            exec(&app.state, "INSERT INTO organizations (id, registry_id, name, is_partner, status, created_at, updated_at) VALUES ($1, 'R-OTHER1', 'Other', 0, 'active', 0, 0)", &[&other]).await;
            let mut conn = app.state.db.pool().acquire().await.unwrap();
            accounts::insert(&mut conn, Owner::Organization(&other), "A-FOREIGN1", false, None, 0).await.unwrap()
        };
        let refused = app.post_form("/session/account?ref=%2Fprofile%2Faccounts", &as_map(&[("account_id", &foreign)])).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "[{label}] an account not assigned to the user");

        let switched = app.post_form("/session/account?ref=%2Fprofile%2Faccounts", &as_map(&[("account_id", &second)])).await;
        assert_eq!(switched.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&switched), "/profile/accounts", "[{label}] back where the user was");
        let page = app.page("/profile/accounts").await;
        let text = text_of(&page);
        assert!(text.contains("A-SECOND01 In use"), "[{label}] the session uses the chosen account: {text}");

        let primary = app.post_form(&format!("/profile/accounts/{second}/primary"), &as_map(&[])).await;
        assert_eq!(location(&primary), "/profile/accounts?notice=primary", "[{label}]");
        let flags = one(&app.state, "SELECT CAST(is_primary AS TEXT) FROM account_assignments WHERE account_id = $1", &[&first]).await;
        assert_eq!(flags, "0", "[{label}] the old primary is no longer primary");
        let stolen = app.post_form(&format!("/profile/accounts/{foreign}/primary"), &as_map(&[])).await;
        assert_eq!(stolen.status(), StatusCode::NOT_FOUND, "[{label}] not the user's account");
    })
    .await;
}

// covers: PRO-3, ADM-9, SEC-5
#[tokio::test]
async fn individuals_are_refused_the_accounts_page_by_url_and_by_server_function() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.register("ann.lee").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] registered and signed in");
        let page = app.get("/profile/accounts").await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "[{label}] by URL");
        let rpc = app
            .client
            .post(app.url("/rpc/profile/accounts"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .expect("POST");
        assert_eq!(rpc.status(), StatusCode::FORBIDDEN, "[{label}] by server function");
        let home = app.page("/").await;
        assert!(!text_of(&home).contains("Accounts"), "[{label}] no menu entry either");
    })
    .await;
}

// covers: PRO-7, SEC-2, SEC-5
#[tokio::test]
async fn switching_customer_gives_a_new_session_id_and_only_offered_customers_are_accepted() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, _, _) = acme_with_two_accounts(&app).await;
        let globex = new_id();
        exec(&app.state, "INSERT INTO organizations (id, registry_id, name, is_partner, status, created_at, updated_at) VALUES ($1, 'R-GLOBX1', 'Globex', 0, 'active', 0, 0)", &[&globex]).await;
        let person = one(&app.state, "SELECT person_id FROM users WHERE lower_username = 'pat.owner'", &[]).await;
        exec(&app.state, "INSERT INTO contacts (id, person_id, organization_id, kind, status, created_at, updated_at) VALUES ($1, $2, $3, 'contact_of', 'active', 0, 0)", &[&new_id(), &person, &globex]).await;

        // Off by default: no customer switch, and a forged one is refused.
        assert!(!header_of(&app.page("/").await).contains("organization_id"), "[{label}]");
        let off = app.post_form("/session/customer", &as_map(&[("organization_id", &globex)])).await;
        assert_eq!(off.status(), StatusCode::NOT_FOUND, "[{label}] setting off");

        set_setting(&app.state, "multi_customer_access", "on").await;
        assert!(header_of(&app.page("/").await).contains("Globex"), "[{label}] offered in the header");
        let before = session_cookie_in(&app.jar, &app.origin()).expect("a session");
        let switched = app.post_form("/session/customer?ref=%2Fcompany", &as_map(&[("organization_id", &globex)])).await;
        assert_eq!(switched.status(), StatusCode::SEE_OTHER, "[{label}]");
        let after = session_cookie_in(&app.jar, &app.origin()).expect("still signed in");
        assert_ne!(before, after, "[{label}] a new session ID");
        let approvals = app.get("/admin/approvals").await;
        assert_eq!(approvals.status(), StatusCode::FORBIDDEN, "[{label}] Acme's approvals are out of reach");
        let back = app.post_form("/session/customer", &as_map(&[("organization_id", &acme)])).await;
        assert_eq!(back.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(app.get("/admin/approvals").await.status(), StatusCode::OK, "[{label}] and back again");
    })
    .await;
}
