//! SEC-5 for the merchant console (issue 9, item 9): every `/console` page, plain post and
//! console server function — the shell, user types, settings, audit, outbox, integration users
//! (CON-1, CON-2, CON-4…CON-6), approval set-up and catalogue (CON-2), users (CON-3) and the customer
//! import (CON-7) — called
//! by a company's primary user, a business user, an individual and nobody, is refused
//! (401/403/404 or a redirect to sign-in) and changes nothing in any table the console can
//! write. The merchant admin's own reads succeed (the control, so the matrix cannot pass by
//! every route being broken). SQLite and PostgreSQL.
//!
//! A new console area adds its calls to `CALLS`, its read functions to `READS` and its tables
//! to `TABLES`.

use app::testing::{colleague, company, site, strings, BUSINESS_USER_ROLE, DEFAULT_DEFINITION, PRIMARY_USER_ROLE};
use reqwest::{header, StatusCode};

use crate::common::{browser, for_each_app, location, merchant_admin, post, signed_in, GOOD_PASSWORD};
use crate::isolation::{send, snapshot, Call, Ids};

/// The seeded definition's one step (migrations/*/0002_reference_data.sql).
const DEFAULT_STEP: &str = "00000000-0000-7000-8000-000000000211";

/// The server functions that only read: the merchant admin's calls of them must succeed.
const READS: &[&str] = &[
    "console/overview",
    "console/user_types/list",
    "console/user_types/editor",
    "console/settings/view",
    "console/import/columns",
    "console/audit",
    "console/outbox",
    "console/integrations/list",
    "console/integrations/editor",
    "console/integrations/secret",
    "console/approval_definitions/list",
    "console/approval_definitions/one",
    "console/approval_groups/list",
    "console/approval_groups/one",
    "console/roles/list",
    "console/roles/one",
    "console/enrollments/list",
    "console/enrollments/editor",
    "console/sites/list",
    "console/sites/editor",
    "console/users/list",
    "console/users/one",
    "console/users/may-create",
];

fn admin_reads(call: Call) -> bool {
    match call {
        Call::Page(_) => true,
        Call::Rpc(endpoint, _) => READS.contains(&endpoint),
        Call::Post(..) | Call::Json(..) | Call::Upload(..) => false,
    }
}

const USER_TYPE: &[(&str, &str)] = &[
    ("key", "partner_primary"),
    ("long_name", "Hijacked"),
    ("short_name", "H"),
    ("kind", "partner_admin"),
    ("active", "on"),
    ("self_service", "on"),
];

const CALLS: &[Call] = &[
    // The shell, user types, settings, audit, outbox and integration users.
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
    // CON-7: the customer import's page, its upload (preview and commit) and server function.
    Call::Page("/console/import"),
    Call::Upload("/console/import", IMPORT_FILE, "preview"),
    Call::Upload("/console/import", IMPORT_FILE, "commit"),
    Call::Rpc("console/import/columns", &[]),
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
    // Approval set-up and catalogue.
    Call::Page("/console/approval-definitions"),
    Call::Page("/console/approval-definitions/new"),
    Call::Page("/console/approval-definitions/{definition}"),
    Call::Page("/console/approval-groups"),
    Call::Page("/console/approval-groups/new"),
    Call::Page("/console/approval-groups/{group}"),
    Call::Page("/console/roles"),
    Call::Page("/console/roles/new"),
    Call::Page("/console/roles/{role}"),
    Call::Page("/console/enrollments"),
    Call::Page("/console/enrollments/new"),
    Call::Page("/console/enrollments/{enrollment}"),
    Call::Page("/console/sites"),
    Call::Page("/console/sites/new"),
    Call::Page("/console/sites/{site}"),
    Call::Post("/console/approval-definitions/new", &[("key", "evil"), ("name", "Evil")]),
    Call::Post("/console/approval-definitions/{definition}", &[("name", "Evil")]),
    Call::Post("/console/approval-definitions/{definition}/steps", &[("approver_kind", "universal")]),
    Call::Post("/console/approval-definitions/{definition}/steps/{step}/remove", &[]),
    Call::Post("/console/approval-definitions/{definition}/steps/{step}/up", &[]),
    Call::Post("/console/approval-definitions/{definition}/steps/{step}/down", &[]),
    Call::Post("/console/approval-groups/new", &[("name", "Evil"), ("scope", "all")]),
    Call::Post("/console/approval-groups/{group}", &[("name", "Evil"), ("scope", "all")]),
    Call::Post("/console/approval-groups/{group}/members", &[("username", "plain.staff")]),
    Call::Post("/console/approval-groups/{group}/members/{member}/remove", &[]),
    Call::Post("/console/roles/new", &[("name", "Evil"), ("permissions", "MANAGE_ROLES")]),
    Call::Post("/console/roles/{role}", &[("name", "Evil"), ("permissions", "MANAGE_ROLES")]),
    Call::Post("/console/enrollments/new", &[("key", "evil"), ("name", "Evil"), ("roles", "{role}")]),
    Call::Post("/console/enrollments/{enrollment}", &[("name", "Evil"), ("roles", "{role}")]),
    Call::Post("/console/sites/new", &[("key", "evil"), ("name", "Evil")]),
    Call::Post("/console/sites/{site}", &[("name", "Evil")]),
    Call::Rpc("console/approval_definitions/list", &[]),
    Call::Rpc("console/approval_definitions/one", &[("id", "{definition}")]),
    Call::Rpc("console/approval_definitions/steps/remove", &[("id", "{definition}"), ("step_id", "{step}")]),
    Call::Rpc(
        "console/approval_definitions/steps/move",
        &[("id", "{definition}"), ("step_id", "{step}"), ("direction", "Down")],
    ),
    Call::Rpc("console/approval_groups/list", &[]),
    Call::Rpc("console/approval_groups/one", &[("id", "{group}")]),
    Call::Rpc("console/approval_groups/members/remove", &[("id", "{group}"), ("user_id", "{member}")]),
    Call::Rpc("console/roles/list", &[]),
    Call::Rpc("console/roles/one", &[("id", "{role}")]),
    Call::Rpc("console/enrollments/list", &[]),
    Call::Rpc("console/enrollments/editor", &[("id", "{enrollment}")]),
    Call::Rpc("console/sites/list", &[]),
    Call::Rpc("console/sites/editor", &[("id", "{site}")]),
    Call::Json("console/approval_definitions/create", r#"{"key":"evil","name":"Evil"}"#),
    Call::Json("console/approval_definitions/rename", r#"{"id":"{definition}","name":"Evil"}"#),
    Call::Json("console/approval_definitions/steps/add", r#"{"id":"{definition}","approver_kind":"universal"}"#),
    Call::Json("console/approval_groups/create", r#"{"name":"Evil","scope":"all"}"#),
    Call::Json("console/approval_groups/update", r#"{"id":"{group}","name":"Evil","scope":"all"}"#),
    Call::Json("console/approval_groups/members/add", r#"{"id":"{group}","username":"plain.staff"}"#),
    Call::Json("console/roles/create", r#"{"name":"Evil","permissions":["MANAGE_ROLES"]}"#),
    Call::Json("console/roles/update", r#"{"id":"{role}","name":"Evil","permissions":["MANAGE_ROLES"]}"#),
    Call::Json("console/enrollments/create", r#"{"key":"evil","name":"Evil","roles":["{role}"],"active":true}"#),
    Call::Json("console/enrollments/update", r#"{"id":"{enrollment}","name":"Evil","roles":["{role}"],"active":true}"#),
    Call::Json("console/sites/create", r#"{"key":"evil","name":"Evil","active":true}"#),
    Call::Json("console/sites/update", r#"{"id":"{site}","name":"Evil","active":true}"#),
    // Users.
    Call::Page("/console/users"),
    Call::Page("/console/users?q=vic"),
    Call::Page("/console/users/new"),
    Call::Page("/console/users/{user}"),
    Call::Page("/console/users/{user}/disable"),
    Call::Page("/console/users/{user}/delete"),
    Call::Page("/console/users/{user}/password"),
    Call::Page("/console/users/{user}/roles/grant"),
    Call::Page("/console/users/{user}/roles/{granted_role}/remove"),
    Call::Post(
        "/console/users/new",
        &[("first_name", "Evil"), ("last_name", "Twin"), ("email", "e@example.com"), ("username", "evil.twin")],
    ),
    Call::Post("/console/users/{user}/disable", &[("effective_date", ""), ("justification", "x")]),
    Call::Post("/console/users/{user}/enable", &[("justification", "x")]),
    Call::Post("/console/users/{user}/delete", &[("justification", "x")]),
    Call::Post("/console/users/{user}/password", &[("password_method", "generated")]),
    Call::Post("/console/users/{user}/roles/grant", &[("role_id", "{granted_role}"), ("justification", "x")]),
    Call::Post("/console/users/{user}/roles/{granted_role}/remove", &[("justification", "x")]),
    Call::Rpc("console/users/list", &[("q", ""), ("status", ""), ("cursor", "")]),
    Call::Rpc("console/users/one", &[("id", "{user}")]),
    Call::Rpc("console/users/may-create", &[]),
    Call::Rpc(
        "console/users/create",
        &[("first_name", "Evil"), ("last_name", "Twin"), ("email", "e@example.com"), ("username", "evil.twin")],
    ),
    Call::Rpc("console/users/disable", &[("id", "{user}"), ("effective_date", ""), ("justification", "x")]),
    Call::Rpc("console/users/enable", &[("id", "{user}"), ("justification", "x")]),
    Call::Rpc("console/users/delete", &[("id", "{user}"), ("justification", "x")]),
    Call::Rpc("console/users/reset-password", &[("id", "{user}"), ("password_method", "generated")]),
    Call::Rpc("console/users/grant-role", &[("id", "{user}"), ("role_id", "{granted_role}"), ("justification", "x")]),
    Call::Rpc("console/users/remove-role", &[("id", "{user}"), ("role_id", "{granted_role}"), ("justification", "x")]),
];

/// A good customer import file: a refusal cannot be blamed on the file.
const IMPORT_FILE: &str = "record,external_id,first_name,last_name,account_number,person\n\
                           person,iso-p,Eve,Il,,\naccount,iso-a,,,A-ISO001,iso-p\n";

/// Every table a console page can write.
const TABLES: &[(&str, &str)] = &[
    ("user_types", "id, key, long_name, is_active, is_self_service, approval_definition_id, updated_at"),
    ("user_type_roles", "user_type_id, role_id"),
    ("user_type_enrollments", "user_type_id, enrollment_id"),
    ("settings", "key, value, updated_at"),
    ("persons", "id, status"),
    ("users", "id, username, status, start_at, end_at, password_hash, must_change_password, released_at, updated_at"),
    ("user_roles", "user_id, role_id, start_at, end_at"),
    ("user_disable_schedules", "user_id"),
    ("sessions", "id"),
    ("email_addresses", "id, address, is_primary"),
    ("roles", "id, name, description"),
    ("role_permissions", "role_id, permission_code"),
    ("approval_definitions", "id, key, name, archived_from"),
    ("approval_steps", "id, definition_id, position, approver_kind, approver_user_id, approval_group_id"),
    ("approval_groups", "id, name, organization_id"),
    ("approval_group_members", "group_id, user_id"),
    ("enrollments", "id, key, name, approval_definition_id, is_active"),
    ("enrollment_roles", "enrollment_id, role_id"),
    ("sites", "id, key, name, required_role_id, is_active"),
    ("integration_users", "id, client_id, name, status, secret_hash"),
    ("integration_user_groups", "integration_user_id, group_kind, group_name"),
    ("api_tokens", "token_hash"),
    ("requests", "id, definition_id, status, current_step"),
    ("outbox", "id, status, attempts"),
    ("audit_log", "id"),
    ("organizations", "id, registry_id, name"),
    ("contacts", "id"),
    ("phones", "id"),
    ("accounts", "id, account_number"),
    ("orders", "id"),
    ("customer_import_keys", "kind, external_id"),
];

// covers: SEC-5, CON-1, CON-2, CON-3, CON-4, CON-5, CON-6, CON-7
#[tokio::test]
async fn no_customer_reaches_any_console_page_or_server_function() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.acme").await;
        colleague(&app.state, &acme, "plain.staff", None).await;
        let target = colleague(&app.state, &acme, "sam.target", Some(PRIMARY_USER_ROLE)).await;
        app.registered_elsewhere("ivy.individual").await;
        app.registered_elsewhere("vic.tim").await;
        let admin = merchant_admin(&app).await;
        // A failed message for the retry route.
        let message = strings(&app.state, "SELECT id FROM outbox ORDER BY id LIMIT 1", &[]).await.remove(0);
        app::testing::exec(&app.state, "UPDATE outbox SET status = 'failed' WHERE id = $1", &[&message]).await;
        // An integration user, an approval group with a member, an enrollment and a site.
        let (integration, _) =
            app::testing::integration_user(&app.state, "iso-client", &app::testing::all_scopes(), &[]).await;
        let group = post(&app, &admin, "/console/approval-groups/new", &[("name", "Desk"), ("scope", "all")]).await;
        let group = location(&group).split('?').next().unwrap().rsplit('/').next().unwrap().to_owned();
        let member =
            post(&app, &admin, &format!("/console/approval-groups/{group}/members"), &[("username", "pat.acme")]).await;
        assert_eq!(member.status(), StatusCode::SEE_OTHER, "[{label}]");
        let enrollment = [("key", "trade"), ("name", "Trade"), ("roles", BUSINESS_USER_ROLE), ("active", "on")];
        post(&app, &admin, "/console/enrollments/new", &enrollment).await;
        let enrollment = strings(&app.state, "SELECT id FROM enrollments WHERE key = 'trade'", &[]).await.remove(0);
        let ids = Ids::new([
            ("{message}", message),
            ("{integration}", integration),
            ("{definition}", DEFAULT_DEFINITION.to_owned()),
            ("{step}", DEFAULT_STEP.to_owned()),
            ("{group}", group),
            ("{member}", acme.primary.clone()),
            ("{role}", BUSINESS_USER_ROLE.to_owned()),
            ("{enrollment}", enrollment),
            ("{site}", site(&app.state, "Outlet", None).await),
            ("{user}", target),
            ("{granted_role}", PRIMARY_USER_ROLE.to_owned()),
        ]);

        let callers = [
            ("a primary user", signed_in(&app, "pat.acme", GOOD_PASSWORD).await),
            ("a business user", signed_in(&app, "plain.staff", GOOD_PASSWORD).await),
            ("an individual", signed_in(&app, "ivy.individual", GOOD_PASSWORD).await),
            ("nobody", browser().0),
        ];
        let before = snapshot(&app, TABLES).await;
        let mut cells = 0;
        for (who, client) in &callers {
            for call in CALLS {
                let answer = send(&app, client, *call, &ids).await;
                assert!(answer.refused(), "[{label}] {who}: {call:?} answered {} {}", answer.status, answer.location);
                cells += 1;
            }
        }
        assert_eq!(snapshot(&app, TABLES).await, before, "[{label}] nothing changed");
        assert_eq!(cells, 4 * CALLS.len(), "[{label}] the whole matrix ran");

        // The control: the merchant admin opens every page and read function.
        for call in CALLS.iter().copied().filter(|c| admin_reads(*c)) {
            let answer = send(&app, &admin, call, &ids).await;
            assert_eq!(answer.status, StatusCode::OK, "[{label}] the admin: {call:?} answered {}", answer.location);
        }
        let search = Call::Rpc("console/users/list", &[("q", "vic"), ("status", ""), ("cursor", "")]);
        assert!(send(&app, &admin, search, &ids).await.body.contains("vic.tim"), "[{label}] the admin's search");
    })
    .await;
}

// covers: CON-5
#[tokio::test]
async fn the_audit_log_has_no_route_that_changes_it() {
    for_each_app(|app| async move {
        let label = app.label;
        app.registered_elsewhere("ivy.individual").await;
        let admin = merchant_admin(&app).await;
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
