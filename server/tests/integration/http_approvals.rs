//! Pending Approvals over HTTP (APR-4, APR-5, APR-8, ADM-9, LOG-3, SEC-5): a company registers,
//! its staff member waits, the primary user approves through the plain HTML pages, and nobody
//! else can; the merchant admin's console after the forced password change. SQLite and
//! PostgreSQL.

use crate::common;

use app::testing::{company_fields, person, ADMIN_PASSWORD};
use common::{alert_text, browser, for_each_app, get, location, post, post_fields, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{Client, Response, StatusCode};

const NEW_ADMIN_PASSWORD: &str = "lantern orchard velvet 42";

/// Registers a company through the plain form on a fresh browser: its primary user's browser
/// (signed in) and the Registry ID shown on the confirmation page (REG-6).
async fn register_company(app: &TestApp, name: &str, username: &str) -> (Client, String) {
    let label = app.label;
    let (client, _jar) = browser();
    let response = post_fields(app, &client, "/register/company_primary", &company_fields(name, username)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] {name}");
    let next = location(&response);
    assert!(next.starts_with("/register/complete"), "[{label}] {next}");
    let html = get(app, &client, &next).await.text().await.unwrap();
    let marker = "class=\"registry-id\">";
    let start = html.find(marker).unwrap_or_else(|| panic!("[{label}] the Registry ID is shown: {}", text_of(&html)))
        + marker.len();
    let registry_id = html[start..start + 8].to_owned();
    assert!(registry_id.starts_with("R-"), "[{label}] {registry_id}");
    (client, registry_id)
}

/// A staff member's registration with the company's Registry ID (REG-7, REG-13).
async fn register_staff(app: &TestApp, registry_id: &str, username: &str) {
    let (client, _jar) = browser();
    let mut fields = person(username, "Ann");
    fields.insert("registry_id".into(), registry_id.into());
    let response = post_fields(app, &client, "/register/company_business", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] {username}", app.label);
    assert_eq!(location(&response), "/register/pending", "[{}] {username}", app.label);
}

async fn sign_in(app: &TestApp, client: &Client, username: &str, password: &str) -> Response {
    post(app, client, "/login", &[("username", username), ("password", password)]).await
}

/// The table row of the queue that names `username`, if any.
fn row_of<'a>(html: &'a str, username: &str) -> Option<&'a str> {
    html.split("<tr").find(|row| row.contains(&format!(">{username}<")))
}

/// The request ID in the row's Approve link `{base}/{id}/approve`.
fn request_id(row: &str, base: &str) -> String {
    let start = row.find(&format!("href=\"{base}/")).expect("an Approve link") + "href=\"".len() + base.len() + 1;
    let end = start + row[start..].find("/approve\"").expect("an Approve link");
    row[start..end].to_owned()
}

async fn request_status(app: &TestApp, request: &str) -> String {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM requests WHERE id = $1")
        .bind(request)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    status
}

/// Refused as SEC-5 asks: "Access denied" (403) or not found (404), naming nobody.
fn refused(status: StatusCode, html: &str) -> bool {
    let said = (status == StatusCode::FORBIDDEN && html.contains("Access denied"))
        || (status == StatusCode::NOT_FOUND
            && (html.contains("Page not found") || html.contains("We could not find that page")));
    said && !html.contains("ann.lee") && !html.contains("gil.globex")
}

// covers: APR-4, APR-5, REG-6, REG-7, REG-13, LOG-2, SEC-5, ADM-9
#[tokio::test]
async fn a_primary_user_approves_a_staff_member_over_http_and_nobody_else_can() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, acme_registry) = register_company(&app, "Acme Tools", "pat.owner").await;
        let (globex, _) = register_company(&app, "Globex", "kim.owner").await;
        register_staff(&app, &acme_registry, "ann.lee").await;

        let (ann, _jar) = browser();
        let response = sign_in(&app, &ann, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "[{label}]");
        let alert = alert_text(&response.text().await.unwrap());
        assert!(alert.contains("awaiting approval"), "[{label}] {alert}");

        let response = get(&app, &acme, "/admin/approvals").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let html = response.text().await.unwrap();
        let row = row_of(&html, "ann.lee").unwrap_or_else(|| panic!("[{label}] a row for ann.lee: {}", text_of(&html)));
        assert!(row.contains(">Approve</a>") && row.contains(">Reject</a>"), "[{label}] {row}");
        assert!(row.contains(">Acme Tools<") && row.contains(">1 of 1<"), "[{label}] {}", text_of(row));
        let request = request_id(row, "/admin/approvals");
        assert!(row.contains(&format!("href=\"/admin/approvals/{request}/reject\"")), "[{label}] {row}");

        // SEC-5: another company's primary user can neither see nor decide it.
        let html = get(&app, &globex, "/admin/approvals").await.text().await.unwrap();
        assert!(row_of(&html, "ann.lee").is_none(), "[{label}] not in Globex's queue");
        for path in [format!("/admin/approvals/{request}/approve"), format!("/admin/approvals/{request}/reject")] {
            let response = get(&app, &globex, &path).await;
            let status = response.status();
            let html = response.text().await.unwrap();
            assert!(refused(status, &html), "[{label}] GET {path}: {status} {}", text_of(&html));
            let response = post(&app, &globex, &path, &[("comments", "mine now")]).await;
            let status = response.status();
            let html = response.text().await.unwrap();
            assert!(refused(status, &html), "[{label}] POST {path}: {status} {}", text_of(&html));
        }
        assert_eq!(request_status(&app, &request).await, "pending", "[{label}] nothing decided");
        assert_eq!(app.count("request_decisions").await, 0, "[{label}]");

        let html = get(&app, &acme, &format!("/admin/approvals/{request}/approve")).await.text().await.unwrap();
        assert!(
            html.contains("name=\"comments\"") && html.contains(">Approve</button>"),
            "[{label}] {}",
            text_of(&html)
        );
        let response =
            post(&app, &acme, &format!("/admin/approvals/{request}/approve"), &[("comments", "Welcome aboard")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/admin/approvals?notice=approved", "[{label}]");
        let html = get(&app, &acme, "/admin/approvals?notice=approved").await.text().await.unwrap();
        assert!(text_of(&html).contains("Approved. The user can now sign in."), "[{label}]");
        assert!(row_of(&html, "ann.lee").is_none(), "[{label}] the request left the queue");
        assert_eq!(request_status(&app, &request).await, "approved", "[{label}]");

        let response = sign_in(&app, &ann, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] the staff member can sign in now");
        assert_eq!(location(&response), "/", "[{label}]");
        // ADM-9: a Business User holds no PENDING_APPROVALS.
        let response = get(&app, &ann, "/admin/approvals").await;
        let status = response.status();
        let html = response.text().await.unwrap();
        assert_eq!(status, StatusCode::FORBIDDEN, "[{label}]");
        assert!(html.contains("Access denied"), "[{label}] {}", text_of(&html));
        let header = &html[html.find("<header").expect("header")..html.find("</header>").expect("end of header")];
        assert!(!header.contains("/admin/approvals"), "[{label}] no Pending Approvals in the menu");
    })
    .await;
}

// covers: APR-8, LOG-3
#[tokio::test]
async fn the_merchant_admin_sees_every_companys_requests_only_after_changing_the_first_password() {
    for_each_app(|app| async move {
        let label = app.label;
        let (_, acme_registry) = register_company(&app, "Acme Tools", "pat.owner").await;
        let (_, globex_registry) = register_company(&app, "Globex", "kim.owner").await;
        register_staff(&app, &acme_registry, "ann.lee").await;
        register_staff(&app, &globex_registry, "gil.globex").await;

        let (admin, _jar) = browser();
        let response = sign_in(&app, &admin, "admin", ADMIN_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/password/change", "[{label}] LOG-3");
        let response = get(&app, &admin, "/console/approvals").await;
        let status = response.status();
        let redirected = status.is_redirection() && location(&response) == "/password/change";
        let html = response.text().await.unwrap();
        assert!(redirected || refused(status, &html), "[{label}] refused before the change: {status}");
        assert!(!html.contains("ann.lee") && !html.contains("gil.globex"), "[{label}] no request is shown");
        let html = get(&app, &admin, "/admin/approvals").await.text().await.unwrap();
        assert!(!html.contains("ann.lee"), "[{label}] nor under /admin before the change");

        let change = [
            ("current_password", ADMIN_PASSWORD),
            ("new_password", NEW_ADMIN_PASSWORD),
            ("new_password_confirm", NEW_ADMIN_PASSWORD),
        ];
        let response = post(&app, &admin, "/password/change", &change).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/?notice=password_changed", "[{label}]");

        let response = get(&app, &admin, "/console/approvals").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let html = response.text().await.unwrap();
        for (username, company) in [("ann.lee", "Acme Tools"), ("gil.globex", "Globex")] {
            let row =
                row_of(&html, username).unwrap_or_else(|| panic!("[{label}] {username} listed: {}", text_of(&html)));
            assert!(row.contains(&format!(">{company}<")), "[{label}] {}", text_of(row));
            assert!(row.contains("href=\"/console/approvals/"), "[{label}] decided from the console");
        }
        let row = row_of(&html, "gil.globex").unwrap();
        let request = request_id(row, "/console/approvals");
        let response = post(&app, &admin, &format!("/console/approvals/{request}/approve"), &[("comments", "")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/console/approvals?notice=approved", "[{label}]");
        assert_eq!(request_status(&app, &request).await, "approved", "[{label}]");
    })
    .await;
}
