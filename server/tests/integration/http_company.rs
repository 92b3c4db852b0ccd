//! The company profile over HTTP (PRO-5, SEC-5, ADM-9): a business user sees it read-only and
//! is refused (403, nothing changed) by the plain post and by the server function; an
//! individual is refused the page; a primary user's bad input comes back as 422 with the
//! values kept, and good input is saved. The address book's plain posts (PRO-2). SQLite and
//! PostgreSQL.

use crate::common;

use app::testing::{colleague, company, one, Company};
use common::{alert_text, for_each_app, get, location, post, signed_in, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{header, StatusCode};

/// Whether the `usages` checkbox with `value` is rendered checked.
fn checkbox_checked(html: &str, value: &str) -> bool {
    let at = html.find(&format!("value=\"{value}\"")).expect("the checkbox");
    let start = html[..at].rfind('<').expect("its tag");
    let end = at + html[at..].find('>').expect("its end");
    html[start..end].contains("checked")
}

const EDIT: &[(&str, &str)] = &[
    ("company_name", "Hijacked Ltd"),
    ("website", "https://evil.example"),
    ("annual_revenue", "1"),
    ("company_phone", ""),
];

async fn name_of(app: &TestApp, acme: &Company) -> String {
    one(&app.state, "SELECT name FROM organizations WHERE id = $1", &[&acme.org]).await
}

// covers: PRO-5, SEC-5, ADM-9
#[tokio::test]
async fn a_business_user_sees_the_profile_read_only_and_every_change_is_refused() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        colleague(&app.state, &acme, "ann.lee", None).await;
        let ann = signed_in(&app, "ann.lee", GOOD_PASSWORD).await;

        let page = get(&app, &ann, "/company").await;
        assert_eq!(page.status(), StatusCode::OK, "[{label}]");
        let html = page.text().await.unwrap();
        assert!(text_of(&html).contains(&acme.registry_id), "[{label}] the Registry ID is shown");
        assert!(!html.contains("action=\"/company\""), "[{label}] no form to save");
        assert!(html.contains("href=\"/company\""), "[{label}] the menu entry (ADM-9)");

        let audits = app.count("audit_log").await;
        let plain = post(&app, &ann, "/company", EDIT).await;
        assert_eq!(plain.status(), StatusCode::FORBIDDEN, "[{label}] the plain post");
        assert!(alert_text(&plain.text().await.unwrap()).contains("do not have access"), "[{label}]");
        let rpc = ann
            .post(app.url("/rpc/company/profile/save"))
            .header(header::ORIGIN, app.origin())
            .header(header::ACCEPT, "application/json")
            .form(EDIT)
            .send()
            .await
            .unwrap();
        assert_eq!(rpc.status(), StatusCode::FORBIDDEN, "[{label}] the server function");
        assert_eq!(name_of(&app, &acme).await, "Acme Tools", "[{label}] unchanged");
        assert_eq!(app.count("audit_log").await, audits, "[{label}] nothing written");

        let address = get(&app, &ann, "/company/addresses/new").await;
        assert_eq!(address.status(), StatusCode::FORBIDDEN, "[{label}] adding an address, by URL");
    })
    .await;
}

// covers: PRO-5, ADM-9
#[tokio::test]
async fn an_individual_is_refused_the_company_profile() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        app.registered_elsewhere("ivy.ind").await;
        let ivy = signed_in(&app, "ivy.ind", GOOD_PASSWORD).await;
        assert_eq!(get(&app, &ivy, "/company").await.status(), StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(get(&app, &ivy, "/company/administrators").await.status(), StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(post(&app, &ivy, "/company", EDIT).await.status(), StatusCode::FORBIDDEN, "[{label}]");
        assert_eq!(name_of(&app, &acme).await, "Acme Tools", "[{label}]");
        let html = get(&app, &ivy, "/profile/addresses").await.text().await.unwrap();
        assert!(!html.contains("href=\"/company\""), "[{label}] no menu entry for an individual");
    })
    .await;
}

// covers: PRO-5, REG-14, REG-15
#[tokio::test]
async fn the_primary_users_bad_input_comes_back_with_its_values_and_good_input_is_saved() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let bad = [("company_name", "Acme Renamed"), ("website", "javascript:alert(1)"), ("annual_revenue", "lots")];
        let response = post(&app, &pat, "/company", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Acme Renamed\""), "[{label}] the typed name is kept");
        assert!(html.contains("value=\"lots\""), "[{label}] the typed revenue is kept");
        assert!(text_of(&html).contains("Enter a whole number"), "[{label}] the error next to the field");
        assert_eq!(name_of(&app, &acme).await, "Acme Tools", "[{label}] nothing saved");

        let good = [("company_name", "Acme Renamed"), ("website", "acme.example"), ("annual_revenue", "1200")];
        let response = post(&app, &pat, "/company", &good).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/company?notice=saved", "[{label}]");
        assert_eq!(name_of(&app, &acme).await, "Acme Renamed", "[{label}]");
        let html = get(&app, &pat, "/company").await.text().await.unwrap();
        assert!(html.contains("value=\"https://acme.example\""), "[{label}]");
    })
    .await;
}

// covers: PRO-2, REJ-4, SEC-5
#[tokio::test]
async fn the_address_book_works_by_plain_posts_and_a_foreign_id_is_not_found() {
    for_each_app(|app| async move {
        let label = app.label;
        app.registered_elsewhere("ann.lee").await;
        app.registered_elsewhere("bob.ray").await;
        let ann = signed_in(&app, "ann.lee", GOOD_PASSWORD).await;
        let fields = [
            ("address_line1", "1 Home St"),
            ("city", "Springfield"),
            ("postal_code", "12345"),
            ("country", "US"),
            ("usages", "billing"),
            ("usages", "shipping"),
        ];
        let added = post(&app, &ann, "/profile/addresses/new", &fields).await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER, "[{label}]");
        let id = one(&app.state, "SELECT id FROM addresses WHERE line1 = '1 Home St'", &[]).await;
        let preferred = one(
            &app.state,
            "SELECT CAST(COUNT(*) AS TEXT) FROM address_usages WHERE address_id = $1 AND is_preferred = 1",
            &[&id],
        )
        .await;
        assert_eq!(preferred, "2", "[{label}] both checkboxes were read, each preferred");

        let bad =
            post(&app, &ann, "/profile/addresses/new", &[("address_line1", "2 Side St"), ("usages", "shipping")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = bad.text().await.unwrap();
        assert!(html.contains("value=\"2 Side St\""), "[{label}] values kept");
        assert!(checkbox_checked(&html, "shipping"), "[{label}] the checked usage kept");
        assert!(!checkbox_checked(&html, "billing"), "[{label}] the unchecked one stays unchecked");

        let bob = signed_in(&app, "bob.ray", GOOD_PASSWORD).await;
        let foreign = post(&app, &bob, &format!("/profile/addresses/{id}/remove"), &[]).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "[{label}]");
        assert_eq!(get(&app, &bob, &format!("/profile/addresses/{id}")).await.status(), StatusCode::NOT_FOUND);

        let removed = post(&app, &ann, &format!("/profile/addresses/{id}/remove"), &[]).await;
        assert_eq!(location(&removed), "/profile/addresses?notice=address_removed", "[{label}]");
        let html = get(&app, &ann, "/profile/addresses").await.text().await.unwrap();
        assert!(!html.contains("1 Home St"), "[{label}] a removed address is never listed");
    })
    .await;
}
