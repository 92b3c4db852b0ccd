//! SEC-5 for the merchant console (issue 9, item 9): every `/console` page, plain post and
//! console server function, called by a company's primary user, a business user, an individual
//! and nobody, is refused — 401/403/404 or a redirect to sign-in — and changes nothing in any
//! table the console can write. The merchant admin's own reads succeed (the control, so the
//! matrix cannot pass by every route being broken). SQLite and PostgreSQL.
//!
//! Each console area adds its calls to `CALLS`.

mod common;

use app::testing::{colleague, company, ready_merchant_admin, strings, ADMIN_PASSWORD};
use common::{browser, for_each_app, TestApp, GOOD_PASSWORD};
use reqwest::{header, Client, StatusCode};

#[derive(Debug, Clone, Copy)]
enum Call {
    Page(&'static str),
    Post(&'static str, &'static [(&'static str, &'static str)]),
    Rpc(&'static str, &'static [(&'static str, &'static str)]),
    Json(&'static str, &'static str),
}

impl Call {
    /// Whether the merchant admin's call is a read that must succeed (the control).
    fn admin_reads(self) -> bool {
        match self {
            Call::Page(_) => true,
            Call::Rpc(endpoint, _) => READS.contains(&endpoint),
            Call::Post(..) | Call::Json(..) => false,
        }
    }
}

/// The server functions that only read.
const READS: &[&str] = &[
    "console/overview",
    "console/user_types/list",
    "console/user_types/editor",
    "console/settings/view",
    "console/audit",
    "console/outbox",
    "console/integrations/list",
    "console/integrations/editor",
    "console/integrations/secret",
];

const USER_TYPE: &[(&str, &str)] = &[
    ("key", "partner_primary"),
    ("long_name", "Hijacked"),
    ("short_name", "H"),
    ("kind", "partner_admin"),
    ("active", "on"),
    ("self_service", "on"),
];

const CALLS: &[Call] = &[
    Call::Page("/console"),
    Call::Page("/console/approvals"),
    Call::Page("/console/user-types"),
    Call::Page("/console/user-types/new"),
    Call::Page("/console/user-types/partner_primary"),
    Call::Page("/console/settings"),
    Call::Page("/console/audit"),
    Call::Page("/console/outbox"),
    Call::Page("/console/outbox?status=failed"),
    Call::Page("/console/integrations"),
    Call::Page("/console/integrations/new"),
    Call::Page("/console/integrations/{integration}"),
    Call::Page("/console/integrations/{integration}/secret"),
    Call::Post("/console/integrations/new", &[("client_id", "evil-client"), ("scopes", "users:write")]),
    Call::Post("/console/integrations/{integration}", &[("name", "Hijacked"), ("scopes", "users:write")]),
    Call::Post("/console/integrations/{integration}/inactivate", &[]),
    Call::Post("/console/integrations/{integration}/activate", &[]),
    Call::Post("/console/integrations/{integration}/secret", &[]),
    Call::Rpc("console/integrations/list", &[("after", "")]),
    Call::Rpc("console/integrations/editor", &[("id", "{integration}")]),
    Call::Rpc("console/integrations/secret", &[("id", "{integration}")]),
    Call::Rpc("console/integrations/inactivate", &[("id", "{integration}")]),
    Call::Rpc("console/integrations/activate", &[("id", "{integration}")]),
    Call::Rpc("console/integrations/new_secret", &[("id", "{integration}")]),
    Call::Json("console/integrations/choices", r#"{"id":"","org_q":"a","chosen":null}"#),
    Call::Json("console/integrations/create", r#"{"client_id":"evil-client","scopes":["users:write"]}"#),
    Call::Json("console/integrations/save", r#"{"id":"{integration}","name":"Hijacked","scopes":["users:write"]}"#),
    Call::Post("/console/user-types/new", USER_TYPE),
    Call::Post("/console/user-types/partner_primary", USER_TYPE),
    Call::Post("/console/settings", &[("password_min_length", "8"), ("merchant_name", "Hijacked")]),
    Call::Post("/console/outbox/{message}/retry", &[]),
    Call::Rpc("console/overview", &[]),
    Call::Rpc("console/user_types/list", &[]),
    Call::Rpc("console/user_types/editor", &[("key", "partner_primary")]),
    Call::Rpc("console/settings/view", &[]),
    Call::Rpc(
        "console/audit",
        &[("query[action]", ""), ("query[subject]", ""), ("query[actor]", ""), ("query[cursor]", "")],
    ),
    Call::Rpc("console/outbox", &[("status", ""), ("page", "0")]),
    Call::Rpc("console/outbox/retry", &[("id", "{message}")]),
    Call::Json(
        "console/user_types/create",
        r#"{"key":"evil","long_name":"Evil","short_name":"E","kind":"individual","active":true,"self_service":true}"#,
    ),
    Call::Json(
        "console/user_types/update",
        r#"{"current_key":"partner_primary","key":"partner_primary","long_name":"Evil","short_name":"E","kind":"partner_admin","active":true,"self_service":true}"#,
    ),
    Call::Json("console/settings/save", r#"{"password_min_length":"8","merchant_name":"Hijacked"}"#),
];

/// Every table a console page can write.
async fn snapshot(app: &TestApp) -> Vec<(&'static str, Vec<String>)> {
    const TABLES: &[(&str, &str)] = &[
        ("user_types", "id, key, long_name, is_active, is_self_service, approval_definition_id, updated_at"),
        ("user_type_roles", "user_type_id, role_id"),
        ("user_type_enrollments", "user_type_id, enrollment_id"),
        ("settings", "key, value, updated_at"),
        (
            "users",
            "id, username, status, start_at, end_at, password_hash, must_change_password, released_at, updated_at",
        ),
        ("user_roles", "user_id, role_id, start_at, end_at"),
        ("sessions", "id"),
        ("roles", "id, name, description"),
        ("role_permissions", "role_id, permission_code"),
        ("approval_definitions", "id, name"),
        ("approval_steps", "id, definition_id, position, approver_kind"),
        ("approval_groups", "id, name, organization_id"),
        ("approval_group_members", "group_id, user_id"),
        ("enrollments", "id, key, name"),
        ("sites", "id, key, name, required_role_id, is_active"),
        ("integration_users", "id, client_id, name, status, secret_hash"),
        ("integration_user_groups", "integration_user_id, group_kind, group_name"),
        ("api_tokens", "token_hash"),
        ("requests", "id, status, current_step"),
        ("outbox", "id, status, attempts"),
        ("audit_log", "id"),
    ];
    let mut all = Vec::new();
    for (table, columns) in TABLES {
        let text = columns
            .split(", ")
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows = strings(&app.state, &format!("SELECT {text} FROM {table} ORDER BY 1"), &[]).await;
        all.push((*table, rows));
    }
    all
}

async fn signed_in(app: &TestApp, username: &str, password: &str) -> Client {
    let (client, _jar) = browser();
    let response = client
        .post(app.url("/login"))
        .header(header::ORIGIN, app.origin())
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("POST /login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] {username} signs in", app.label);
    client
}

/// The ids the calls take, filled in.
struct Ids {
    message: String,
    integration: String,
}

fn fill(template: &str, ids: &Ids) -> String {
    template.replace("{message}", &ids.message).replace("{integration}", &ids.integration)
}

async fn send(app: &TestApp, client: &Client, call: Call, ids: &Ids) -> (StatusCode, String) {
    let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), fill(v, ids))).collect()
    };
    let response = match call {
        Call::Page(path) => client.get(app.url(&fill(path, ids))).send().await,
        Call::Post(path, fields) => {
            client.post(app.url(&fill(path, ids))).header(header::ORIGIN, app.origin()).form(&form(fields)).send().await
        }
        Call::Rpc(endpoint, fields) => {
            client
                .post(app.url(&format!("/rpc/{endpoint}")))
                .header(header::ORIGIN, app.origin())
                .header(header::ACCEPT, "application/json")
                .form(&form(fields))
                .send()
                .await
        }
        Call::Json(endpoint, body) => {
            client
                .post(app.url(&format!("/rpc/{endpoint}")))
                .header(header::ORIGIN, app.origin())
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(fill(body, ids))
                .send()
                .await
        }
    }
    .expect("request");
    let status = response.status();
    let location =
        response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, location)
}

fn refused(status: StatusCode, location: &str) -> bool {
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
        || (status.is_redirection() && location.starts_with("/login"))
}

// covers: SEC-5, CON-1, CON-2, CON-4, CON-5, CON-6
#[tokio::test]
async fn no_customer_reaches_any_console_page_or_server_function() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.acme").await;
        colleague(&app.state, &acme, "plain.staff", None).await;
        app.registered_elsewhere("ivy.individual").await;
        ready_merchant_admin(&app.state).await;
        // A failed message for the retry route.
        let message = strings(&app.state, "SELECT id FROM outbox ORDER BY id LIMIT 1", &[]).await.remove(0);
        app::testing::exec(&app.state, "UPDATE outbox SET status = 'failed' WHERE id = $1", &[&message]).await;
        // An integration user for the CON-4 routes.
        let (integration, _) =
            app::testing::integration_user(&app.state, "iso-client", &app::testing::all_scopes(), &[]).await;
        let ids = Ids { message, integration };

        let callers = [
            ("a primary user", signed_in(&app, "pat.acme", GOOD_PASSWORD).await),
            ("a business user", signed_in(&app, "plain.staff", GOOD_PASSWORD).await),
            ("an individual", signed_in(&app, "ivy.individual", GOOD_PASSWORD).await),
            ("nobody", browser().0),
        ];
        let before = snapshot(&app).await;
        for (who, client) in &callers {
            for call in CALLS {
                let (status, location) = send(&app, client, *call, &ids).await;
                assert!(refused(status, &location), "[{label}] {who}: {call:?} answered {status} {location}");
            }
        }
        assert_eq!(snapshot(&app).await, before, "[{label}] nothing changed");

        // The control: the merchant admin reads every page and read function.
        let admin = signed_in(&app, "admin", ADMIN_PASSWORD).await;
        for call in CALLS.iter().filter(|c| c.admin_reads()) {
            let (status, location) = send(&app, &admin, *call, &ids).await;
            assert_eq!(status, StatusCode::OK, "[{label}] the admin: {call:?} answered {status} {location}");
        }
    })
    .await;
}

// covers: CON-5
#[tokio::test]
async fn the_audit_log_has_no_route_that_changes_it() {
    for_each_app(|app| async move {
        let label = app.label;
        app.registered_elsewhere("ivy.individual").await;
        ready_merchant_admin(&app.state).await;
        let admin = signed_in(&app, "admin", ADMIN_PASSWORD).await;
        let entry = strings(&app.state, "SELECT id FROM audit_log ORDER BY id LIMIT 1", &[]).await.remove(0);
        let rows = || async {
            strings(&app.state, "SELECT id || action || COALESCE(after_value, '') FROM audit_log ORDER BY 1", &[]).await
        };
        let before = rows().await;
        for method in [reqwest::Method::POST, reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE] {
            for path in [
                "/console/audit".to_owned(),
                format!("/console/audit/{entry}"),
                format!("/console/audit/{entry}/delete"),
                "/rpc/console/audit/delete".to_owned(),
                "/rpc/console/audit/update".to_owned(),
                format!("/api/v1/audit/{entry}"),
            ] {
                let response = admin
                    .request(method.clone(), app.url(&path))
                    .header(header::ORIGIN, app.origin())
                    .form(&[("id", entry.as_str()), ("action", "forged")])
                    .send()
                    .await
                    .unwrap();
                assert!(!response.status().is_success(), "[{label}] {method} {path}: {}", response.status());
            }
        }
        assert_eq!(rows().await, before, "[{label}] the log is as it was");
    })
    .await;
}
