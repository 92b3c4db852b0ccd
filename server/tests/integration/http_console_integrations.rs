//! CON-4 in the console without JavaScript: create an integration user with the plain form
//! (bad input back as 422 with the values kept, nothing written), find organizations for its
//! sales groups with a GET of the same form, see the client secret once (never in a URL),
//! use it for a token, edit, inactivate (its token stops at once) and activate. SQLite and
//! PostgreSQL.

use crate::common;

use app::testing::{company, one, strings};
use common::{for_each_app, location, merchant_admin, page, post, text_of, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn token_status(app: &TestApp, client_id: &str, secret: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/api/v1/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .status()
}

/// The text of the `<code id="client-secret">` element.
fn shown_secret(html: &str) -> Option<String> {
    let start = html.find("id=\"client-secret\"")?;
    let open_end = start + html[start..].find('>')? + 1;
    let close = open_end + html[open_end..].find("</code>")?;
    Some(text_of(&html[open_end..close]))
}

// covers: CON-4, CON-5, REG-14, REG-15, SEC-7
#[tokio::test]
async fn an_admin_creates_an_integration_user_without_javascript_and_sees_its_secret_once() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let admin = merchant_admin(&app).await;
        let form = page(&app, &admin, "/console/integrations/new").await;
        for text in [
            "Client ID",
            "Name",
            "Admin groups",
            "Sales groups",
            "Find organizations",
            "Create",
            "users:read",
            "approvals:write",
        ] {
            assert!(text_of(&form).contains(text), "[{label}] the form has {text}");
        }
        assert!(
            form.contains("name=\"scopes\"") && form.contains("type=\"checkbox\""),
            "[{label}] scopes are checkboxes"
        );

        // "Find organizations" is a GET of the same form: what was typed stays.
        let found = page(
            &app,
            &admin,
            "/console/integrations/new?find=1&client_id=cpq-prod&name=CPQ&scopes=approvals%3Aread&org_q=acm",
        )
        .await;
        assert!(found.contains("value=\"cpq-prod\"") && found.contains("value=\"CPQ\""), "[{label}] values kept");
        assert!(found.contains(&format!("value=\"{}\"", acme.org)), "[{label}] Acme is offered");
        assert!(text_of(&found).contains(&acme.registry_id), "[{label}] with its Registry ID");

        let before = app.count("integration_users").await;
        let bad = post(
            &app,
            &admin,
            "/console/integrations/new",
            &[("client_id", "x"), ("name", "Kept name"), ("scopes", "approvals:read")],
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = bad.text().await.unwrap();
        assert!(html.contains("id=\"client_id-error\""), "[{label}] the error next to Client ID");
        assert!(html.contains("value=\"Kept name\""), "[{label}] values kept");
        assert_eq!(app.count("integration_users").await, before, "[{label}] nothing written");

        let created = post(
            &app,
            &admin,
            "/console/integrations/new",
            &[
                ("client_id", "cpq-prod"),
                ("name", "CPQ"),
                ("scopes", "approvals:read"),
                ("scopes", "users:read"),
                ("organizations", &acme.org),
            ],
        )
        .await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER, "[{label}]");
        let next = location(&created);
        assert!(next.starts_with("/console/integrations/") && next.ends_with("/secret"), "[{label}] {next}");
        let shown = page(&app, &admin, &next).await;
        let secret = shown_secret(&shown).expect("the secret is shown");
        assert_eq!(secret.len(), 43, "[{label}]");
        assert!(!next.contains(&secret), "[{label}] never in a URL");
        assert!(text_of(&shown).contains("shown only this once"), "[{label}]");
        let again = page(&app, &admin, &next).await;
        assert!(shown_secret(&again).is_none(), "[{label}] shown once");
        assert!(text_of(&again).contains("cannot be shown again"), "[{label}]");
        let audited =
            strings(&app.state, "SELECT COALESCE(after_value, '') || COALESCE(before_value, '') FROM audit_log", &[])
                .await;
        assert!(audited.iter().all(|a| !a.contains(&secret)), "[{label}] never audited");
        let sessions = strings(&app.state, "SELECT data FROM sessions", &[]).await;
        assert!(sessions.iter().all(|d| !d.contains(&secret)), "[{label}] gone from the session once shown");
        assert_eq!(token_status(&app, "cpq-prod", &secret).await, StatusCode::OK, "[{label}] the secret works");

        let dup = post(&app, &admin, "/console/integrations/new", &[("client_id", "cpq-prod")]).await;
        assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(text_of(&dup.text().await.unwrap()).contains("Another integration user already has this Client ID"));

        let id = one(&app.state, "SELECT id FROM integration_users WHERE client_id = 'cpq-prod'", &[]).await;
        let edit = page(&app, &admin, &format!("/console/integrations/{id}")).await;
        assert!(text_of(&edit).contains("cpq-prod") && text_of(&edit).contains("Acme Tools"), "[{label}]");
        assert!(text_of(&edit).contains("Inactivate") && text_of(&edit).contains("Generate a new secret"), "[{label}]");
        let saved = post(
            &app,
            &admin,
            &format!("/console/integrations/{id}"),
            &[("name", "CPQ EU"), ("scopes", "organizations:read")],
        )
        .await;
        assert_eq!(location(&saved), format!("/console/integrations/{id}?notice=saved"), "[{label}]");
        let groups = strings(
            &app.state,
            "SELECT group_kind || ':' || group_name FROM integration_user_groups WHERE integration_user_id = $1",
            &[&id],
        )
        .await;
        assert_eq!(groups, ["admin:organizations:read"], "[{label}] no sales group now: every organization");

        let token: Value = reqwest::Client::new()
            .post(app.url("/api/v1/token"))
            .basic_auth("cpq-prod", Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bearer = token["access_token"].as_str().unwrap().to_owned();
        let read = |bearer: String| {
            let url = app.url("/api/v1/organizations");
            async move { reqwest::Client::new().get(url).bearer_auth(bearer).send().await.unwrap().status() }
        };
        assert_eq!(read(bearer.clone()).await, StatusCode::OK, "[{label}]");
        let inactivated = post(&app, &admin, &format!("/console/integrations/{id}/inactivate"), &[]).await;
        assert_eq!(location(&inactivated), format!("/console/integrations/{id}?notice=inactivated"), "[{label}]");
        assert_eq!(read(bearer).await, StatusCode::UNAUTHORIZED, "[{label}] the token stops at once");
        let list = page(&app, &admin, "/console/integrations").await;
        assert!(text_of(&list).contains("Inactive") && list.contains("Activate cpq-prod"), "[{label}]");
        post(&app, &admin, &format!("/console/integrations/{id}/activate"), &[]).await;
        assert_eq!(token_status(&app, "cpq-prod", &secret).await, StatusCode::OK, "[{label}] active again");

        let replaced = post(&app, &admin, &format!("/console/integrations/{id}/secret"), &[]).await;
        let secret_page = page(&app, &admin, &location(&replaced)).await;
        let new_secret = shown_secret(&secret_page).expect("the new secret is shown");
        assert_ne!(new_secret, secret, "[{label}]");
        assert_eq!(
            token_status(&app, "cpq-prod", &secret).await,
            StatusCode::UNAUTHORIZED,
            "[{label}] the old one ends"
        );
        let actions =
            strings(&app.state, "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY action", &[&id]).await;
        assert_eq!(
            actions,
            [
                "integration.activated",
                "integration.created",
                "integration.inactivated",
                "integration.secret_replaced",
                "integration.updated"
            ],
            "[{label}] every change audited"
        );
    })
    .await;
}
