//! Online access and partial registration over HTTP, as plain form posts (REG-15): the
//! online-access types appear on `/register` once activated (CON-1), a failed proof is one
//! generic alert with the values kept, and the secure-page gate (PAR-1) sends a user whose
//! contact a primary user ended to `/register/confirm`, whose form brings them back.

use crate::common;

use app::backend::services::bootstrap;
use app::testing::{company_fields, person};
use common::{
    alert_text, browser, for_each_app, get, location, page, post, post_fields, signed_in, text_of, TestApp,
    GOOD_PASSWORD,
};
use reqwest::StatusCode;

async fn activate_online_access(app: &TestApp) {
    sqlx::query("UPDATE user_types SET is_active = 1 WHERE kind LIKE 'online_access%'")
        .execute(app.state.db.pool())
        .await
        .expect("activated");
}

async fn one(app: &TestApp, sql: &str) -> String {
    sqlx::query_as::<_, (String,)>(sql).fetch_one(app.state.db.pool()).await.expect(sql).0
}

const DANA: &[(&str, &str)] = &[
    ("account_number", "A-100001"),
    ("postal_code", "94105"),
    ("phone", "+1 415 555 0100"),
    ("email", "dana.smith@example.com"),
    ("username", "dana.s"),
    ("password", GOOD_PASSWORD),
    ("password_confirm", GOOD_PASSWORD),
];

// covers: OAA-1, OAA-6, CON-1, REG-15
#[tokio::test]
async fn dana_claims_her_account_with_a_plain_post_after_one_wrong_postal_code() {
    for_each_app(|app| async move {
        let label = app.label;
        bootstrap::load_demo_data(&app.state).await.expect("demo data");
        let (visitor, _jar) = browser();
        let listing = page(&app, &visitor, "/register").await;
        assert!(!listing.contains("Need online access"), "[{label}] inactive types are not offered");
        let closed = get(&app, &visitor, "/register/online_access_individual").await;
        assert_eq!(closed.status(), StatusCode::NOT_FOUND, "[{label}]");
        activate_online_access(&app).await;
        let listing = page(&app, &visitor, "/register").await;
        assert!(listing.contains("href=\"/register/online_access_individual\""), "[{label}] offered once active");

        let mut wrong: Vec<(&str, &str)> = DANA.to_vec();
        wrong[1] = ("postal_code", "94106");
        let refused = post(&app, &visitor, "/register/online_access_individual", &wrong).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "[{label}]");
        let html = refused.text().await.expect("the page");
        assert!(
            alert_text(&html).contains("We could not verify your account details"),
            "[{label}] {}",
            alert_text(&html)
        );
        assert!(html.contains("value=\"A-100001\""), "[{label}] values kept");
        assert!(!html.contains(GOOD_PASSWORD), "[{label}] never the password");
        assert_eq!(one(&app, "SELECT CAST(COUNT(*) AS TEXT) FROM users WHERE lower_username = 'dana.s'").await, "0");

        let claimed = post(&app, &visitor, "/register/online_access_individual", DANA).await;
        assert_eq!(
            claimed.status(),
            StatusCode::SEE_OTHER,
            "[{label}] {}",
            text_of(&claimed.text().await.unwrap_or_default())
        );
        assert_eq!(location(&claimed), "/", "[{label}] signed in, on to the home page");
        // Her existing account is the session's account, named in the header (PRO-3).
        let home = page(&app, &visitor, "/").await;
        let header = &home[home.find("<header").expect("header")..home.find("</header>").expect("end")];
        assert!(header.contains("A-100001"), "[{label}] her existing account: {}", text_of(header));
    })
    .await;
}

// covers: PAR-1, PAR-2, ADM-3
#[tokio::test]
async fn a_user_whose_contact_a_primary_user_ended_confirms_and_returns_to_the_page_asked_for() {
    for_each_app(|app| async move {
        let label = app.label;
        let (pat, _jar) = browser();
        let registered =
            post_fields(&app, &pat, "/register/company_primary", &company_fields("Acme Tools", "pat.owner")).await;
        assert_eq!(registered.status(), StatusCode::SEE_OTHER, "[{label}]");
        let registry_id = one(&app, "SELECT registry_id FROM organizations").await;
        let (ann, _jar) = browser();
        let mut fields = person("ann.lee", "Ann");
        fields.insert("registry_id".into(), registry_id.clone());
        post_fields(&app, &ann, "/register/company_business", &fields).await;
        let request = one(&app, "SELECT id FROM requests").await;
        let approved = post(&app, &pat, &format!("/admin/approvals/{request}/approve"), &[]).await;
        assert_eq!(approved.status(), StatusCode::SEE_OTHER, "[{label}]");
        let ann = signed_in(&app, "ann.lee", GOOD_PASSWORD).await;
        assert_eq!(get(&app, &ann, "/profile").await.status(), StatusCode::OK, "[{label}] complete");

        // ADM-3: the primary user ends Ann's contact relationship; her login stays active.
        let contact = one(&app, "SELECT contact_id FROM users WHERE lower_username = 'ann.lee'").await;
        let ended = post(
            &app,
            &pat,
            &format!("/admin/contacts/{contact}"),
            &[
                ("first_name", "Ann"),
                ("last_name", "Lee"),
                ("email", "ann.lee@example.com"),
                ("contact_status", "inactive"),
                ("username", "ann.lee"),
                ("user_status", "active"),
            ],
        )
        .await;
        assert_eq!(
            ended.status(),
            StatusCode::SEE_OTHER,
            "[{label}] {}",
            text_of(&ended.text().await.unwrap_or_default())
        );
        assert_eq!(one(&app, &format!("SELECT status FROM contacts WHERE id = '{contact}'")).await, "inactive");

        // Her login stays active; she signs in again (ADM-3 ended her sessions with the relationship).
        let ann = signed_in(&app, "ann.lee", GOOD_PASSWORD).await;
        let gated = get(&app, &ann, "/profile").await;
        assert_eq!(gated.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&gated), "/register/confirm?ref=%2Fprofile", "[{label}]");
        let rpc = ann
            .post(app.url("/rpc/profile/details"))
            .header(reqwest::header::ORIGIN, app.origin())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .expect("POST");
        assert_eq!(rpc.status(), StatusCode::FORBIDDEN, "[{label}] its server functions refuse too");
        let choices = page(&app, &ann, "/register/confirm?ref=%2Fprofile").await;
        assert!(
            choices.contains("href=\"/register/confirm/company_business?ref=%2Fprofile\""),
            "[{label}] {}",
            text_of(&choices)
        );
        assert!(!choices.contains("/register/confirm/individual"), "[{label}] not PAR-1's row for her");
        let form = page(&app, &ann, "/register/confirm/company_business?ref=%2Fprofile").await;
        assert!(form.contains(&format!("value=\"{registry_id}\"")), "[{label}] PAR-2: pre-filled");
        assert!(form.contains("value=\"ann.lee@example.com\""), "[{label}] pre-filled e-mail");
        assert!(form.contains(">Confirm registration<"), "[{label}] the button");

        // The seeded company_business waits for the primary user; make it automatic to see PAR-2's way back.
        sqlx::query("UPDATE user_types SET approval_definition_id = NULL WHERE key = 'company_business'")
            .execute(app.state.db.pool())
            .await
            .expect("auto-approval");
        let confirmed = post(
            &app,
            &ann,
            "/register/confirm/company_business?ref=%2Fprofile",
            &[
                ("registry_id", &registry_id),
                ("first_name", "Ann"),
                ("last_name", "Lee"),
                ("email", "ann.lee@example.com"),
            ],
        )
        .await;
        assert_eq!(
            confirmed.status(),
            StatusCode::SEE_OTHER,
            "[{label}] {}",
            text_of(&confirmed.text().await.unwrap_or_default())
        );
        assert_eq!(location(&confirmed), "/profile", "[{label}] on to the page she asked for");
        assert_eq!(get(&app, &ann, "/profile").await.status(), StatusCode::OK, "[{label}] complete again");
        assert_eq!(one(&app, &format!("SELECT status FROM contacts WHERE id = '{contact}'")).await, "active");
    })
    .await;
}
