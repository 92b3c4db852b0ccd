//! CON-2 over HTTP without JavaScript (REG-14, REG-15): approval definitions and their steps,
//! approval groups and their members, roles, enrollments and sites as plain form posts — bad
//! input comes back as 422 with the values kept and the errors beside their fields, writing
//! nothing; good input redirects to the page with its notice. SQLite and PostgreSQL. Their
//! refusal to customers (SEC-5) is in the console's matrix, `http_console_isolation`.

use crate::common;

use app::testing::{company, count_rows, strings, BUSINESS_USER_ROLE, DEFAULT_DEFINITION, PRIMARY_USER_ROLE};
use common::{for_each_app, location, merchant_admin, page, post, text_of, TestApp};
use reqwest::{Response, StatusCode};

/// The seeded definition's one step (migrations/*/0002_reference_data.sql).
const DEFAULT_STEP: &str = "00000000-0000-7000-8000-000000000211";

/// A 422 page: its HTML.
async fn refused_422(app: &TestApp, response: Response, what: &str) -> String {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{}] {what}", app.label);
    response.text().await.unwrap()
}

/// A 303 to `expected` (a prefix when it ends with `/`).
fn redirected(app: &TestApp, response: &Response, expected: &str) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{}] to {expected}", app.label);
    let to = location(response);
    assert!(to.starts_with(expected), "[{}] {to} is not {expected}", app.label);
    to
}

// covers: CON-2, APR-2, REG-14, REG-15
#[tokio::test]
async fn definitions_and_steps_are_edited_by_plain_posts_with_errors_beside_their_fields() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let list = text_of(&page(&app, &admin, "/console/approval-definitions").await);
        assert!(list.contains("company_primary_users") && list.contains("Approval groups"), "[{label}] list and tabs");
        let form = text_of(&page(&app, &admin, "/console/approval-definitions/new").await);
        assert!(form.contains("Key") && form.contains("Name") && form.contains("Create"), "[{label}] {form}");

        let audits = app.count("audit_log").await;
        let html = refused_422(
            &app,
            post(&app, &admin, "/console/approval-definitions/new", &[("key", "Two Steps"), ("name", "Two steps")])
                .await,
            "a bad key",
        )
        .await;
        assert!(html.contains("value=\"Two Steps\"") && html.contains("value=\"Two steps\""), "[{label}] values kept");
        assert!(html.contains("id=\"key-error\"") && !html.contains("id=\"name-error\""), "[{label}] beside the key");
        let taken = refused_422(
            &app,
            post(&app, &admin, "/console/approval-definitions/new", &[("key", "company_primary_users"), ("name", "X")])
                .await,
            "a taken key",
        )
        .await;
        assert!(text_of(&taken).contains("This key is already used"), "[{label}]");
        assert_eq!(app.count("audit_log").await, audits, "[{label}] nothing written");

        let created =
            post(&app, &admin, "/console/approval-definitions/new", &[("key", "two_steps"), ("name", "Two steps")])
                .await;
        let to = redirected(&app, &created, "/console/approval-definitions/");
        assert!(to.ends_with("?notice=created"), "[{label}] {to}");
        let base = to.trim_end_matches("?notice=created").to_owned();
        let html = page(&app, &admin, &to).await;
        assert!(text_of(&html).contains("The approval definition was created."), "[{label}]");
        assert!(html.contains("name=\"approver_kind\"") && html.contains("type=\"radio\""), "[{label}] radios");

        let steps = format!("{base}/steps");
        let html = refused_422(
            &app,
            post(&app, &admin, &steps, &[("approver_kind", "user"), ("username", "no.such.user")]).await,
            "an unknown named user",
        )
        .await;
        assert!(html.contains("value=\"no.such.user\"") && html.contains("id=\"username-error\""), "[{label}]");
        assert!(text_of(&html).contains("There is no user with this username"), "[{label}]");
        assert!(html.contains("value=\"user\" checked"), "[{label}] the chosen kind stays chosen");
        assert!(!html.contains("id=\"name-error\""), "[{label}] the name form shows nothing");
        for kind in ["primary_users", "universal"] {
            let added = post(&app, &admin, &steps, &[("approver_kind", kind)]).await;
            redirected(&app, &added, &format!("{base}?notice=step_added"));
        }
        let definition = base.rsplit('/').next().unwrap().to_owned();
        let order = || async {
            strings(
                &app.state,
                "SELECT approver_kind FROM approval_steps WHERE definition_id = $1 ORDER BY position",
                &[&definition],
            )
            .await
        };
        assert_eq!(order().await, ["primary_users", "universal"], "[{label}]");
        let first = strings(
            &app.state,
            "SELECT id FROM approval_steps WHERE definition_id = $1 AND position = 1",
            &[&definition],
        )
        .await
        .remove(0);
        let moved = post(&app, &admin, &format!("{steps}/{first}/down"), &[]).await;
        redirected(&app, &moved, &format!("{base}?notice=step_moved"));
        assert_eq!(order().await, ["universal", "primary_users"], "[{label}]");
        let html = page(&app, &admin, &base).await;
        assert!(
            html.contains("aria-label=\"Move up step 2\"") && html.contains("aria-label=\"Remove step 1\""),
            "[{label}]"
        );
        assert!(
            text_of(&html).contains("Requests already waiting keep the steps they were submitted with"),
            "[{label}]"
        );
        let removed = post(&app, &admin, &format!("{steps}/{first}/remove"), &[]).await;
        redirected(&app, &removed, &format!("{base}?notice=step_removed"));
        assert_eq!(order().await, ["universal"], "[{label}]");

        let html = refused_422(&app, post(&app, &admin, &base, &[("name", "  ")]).await, "an empty name").await;
        assert!(html.contains("id=\"name-error\"") && !html.contains("id=\"username-error\""), "[{label}]");
        let renamed = post(&app, &admin, &base, &[("name", "Universal only")]).await;
        redirected(&app, &renamed, &format!("{base}?notice=renamed"));

        // The seeded definition is in use: its only step stays, and the page says why.
        let response = post(
            &app,
            &admin,
            &format!("/console/approval-definitions/{DEFAULT_DEFINITION}/steps/{DEFAULT_STEP}/remove"),
            &[],
        )
        .await;
        let html = refused_422(&app, response, "the only step of a definition in use").await;
        assert!(text_of(&html).contains("A definition in use needs at least one step"), "[{label}]");
        assert_eq!(count_rows(&app.state.db, "approval_steps").await, 2, "[{label}] seeded + one");
    })
    .await;
}

// covers: CON-2, APR-3, REG-14, REG-15
#[tokio::test]
async fn groups_and_members_are_edited_by_plain_posts() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.acme").await;
        company(&app.state, "Globex", "kim.globex").await;
        let admin = merchant_admin(&app).await;
        let bad = [("name", "Acme desk"), ("scope", "organization"), ("organization", "R-ZZZZZZ")];
        let html = refused_422(&app, post(&app, &admin, "/console/approval-groups/new", &bad).await, "unknown").await;
        assert!(html.contains("value=\"R-ZZZZZZ\"") && html.contains("id=\"organization-error\""), "[{label}]");
        assert!(html.contains("value=\"organization\" checked"), "[{label}] the scope stays chosen");
        assert_eq!(app.count("approval_groups").await, 0, "[{label}]");

        let good = [("name", "Acme desk"), ("scope", "organization"), ("organization", acme.registry_id.as_str())];
        let created = post(&app, &admin, "/console/approval-groups/new", &good).await;
        let to = redirected(&app, &created, "/console/approval-groups/");
        let base = to.split('?').next().unwrap().to_owned();
        let html = text_of(&page(&app, &admin, &to).await);
        assert!(html.contains("Acme Tools") && html.contains("has no members yet"), "[{label}] {html}");

        let members = format!("{base}/members");
        let html = refused_422(&app, post(&app, &admin, &members, &[("username", "kim.globex")]).await, "other").await;
        assert!(html.contains("value=\"kim.globex\"") && html.contains("id=\"username-error\""), "[{label}]");
        assert!(text_of(&html).contains("This user is not a user of Acme Tools"), "[{label}]");
        let added = post(&app, &admin, &members, &[("username", "pat.acme")]).await;
        redirected(&app, &added, &format!("{base}?notice=member_added"));
        let html = page(&app, &admin, &base).await;
        assert!(html.contains("aria-label=\"Remove pat.acme\""), "[{label}] a row button");
        assert!(text_of(&html).contains("Yes"), "[{label}] the primary user holds the group permission");

        let removed = post(&app, &admin, &format!("{members}/{}/remove", acme.primary), &[]).await;
        redirected(&app, &removed, &format!("{base}?notice=member_removed"));
        assert_eq!(app.count("approval_group_members").await, 0, "[{label}]");
        let renamed = post(&app, &admin, &base, &[("name", "Everyone"), ("scope", "all"), ("organization", "")]).await;
        redirected(&app, &renamed, &format!("{base}?notice=group_saved"));
        assert!(text_of(&page(&app, &admin, "/console/approval-groups").await).contains("All organizations"));
    })
    .await;
}

// covers: CON-2, APR-10, ADM-5, REG-14, REG-15
#[tokio::test]
async fn roles_enrollments_and_sites_are_edited_by_plain_posts() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let roles = text_of(&page(&app, &admin, "/console/roles").await);
        for text in ["Roles and sites", "Enrollments", "Sites", "Primary User", "primary_user"] {
            assert!(roles.contains(text), "[{label}] {text}");
        }
        let bad = [("name", ""), ("description", "North"), ("permissions", "ORG_DETAILS"), ("permissions", "ROOT")];
        let html = refused_422(&app, post(&app, &admin, "/console/roles/new", &bad).await, "a bad role").await;
        assert!(html.contains(">North</textarea>") && html.contains("id=\"name-error\""), "[{label}] kept");
        assert!(html.contains("value=\"ORG_DETAILS\" checked"), "[{label}] the checked box stays checked");
        let good = [("name", "Trade desk"), ("description", ""), ("permissions", "VIEW_ACCOUNTS")];
        let created = post(&app, &admin, "/console/roles/new", &good).await;
        redirected(&app, &created, "/console/roles?notice=role_created");
        let trade = strings(&app.state, "SELECT id FROM roles WHERE name = 'Trade desk'", &[]).await.remove(0);

        let primary = page(&app, &admin, &format!("/console/roles/{PRIMARY_USER_ROLE}")).await;
        assert!(primary.contains("disabled") && primary.contains("type=\"hidden\" name=\"permissions\""), "[{label}]");
        let stripped =
            post(&app, &admin, &format!("/console/roles/{PRIMARY_USER_ROLE}"), &[("permissions", "ORG_DETAILS")]).await;
        let html = refused_422(&app, stripped, "essentials").await;
        assert!(text_of(&html).contains("This role must keep"), "[{label}]");
        let business =
            post(&app, &admin, &format!("/console/roles/{BUSINESS_USER_ROLE}"), &[("permissions", "ORG_DETAILS")])
                .await;
        redirected(&app, &business, "/console/roles?notice=role_saved");

        let enrollment = [
            ("key", "trade"),
            ("name", "Trade pricing"),
            ("approval_definition_id", DEFAULT_DEFINITION),
            ("active", "on"),
        ];
        let html =
            refused_422(&app, post(&app, &admin, "/console/enrollments/new", &enrollment).await, "no role").await;
        assert!(html.contains("value=\"trade\"") && html.contains("id=\"roles-error\""), "[{label}]");
        let mut with_role = enrollment.to_vec();
        with_role.push(("roles", trade.as_str()));
        let created = post(&app, &admin, "/console/enrollments/new", &with_role).await;
        redirected(&app, &created, "/console/enrollments?notice=enrollment_created");
        let again = refused_422(&app, post(&app, &admin, "/console/enrollments/new", &with_role).await, "taken").await;
        assert!(text_of(&again).contains("This key is already used"), "[{label}]");
        let id = strings(&app.state, "SELECT id FROM enrollments WHERE key = 'trade'", &[]).await.remove(0);
        let edited = post(
            &app,
            &admin,
            &format!("/console/enrollments/{id}"),
            &[("name", "Trade prices"), ("roles", trade.as_str())],
        )
        .await;
        redirected(&app, &edited, "/console/enrollments?notice=enrollment_saved");
        let list = text_of(&page(&app, &admin, "/console/enrollments").await);
        assert!(list.contains("Trade prices") && list.contains("Trade desk"), "[{label}] {list}");
        let active = strings(&app.state, "SELECT CAST(is_active AS TEXT) FROM enrollments WHERE id = $1", &[&id]).await;
        assert_eq!(active, ["0"], "[{label}] an unchecked box is not posted: inactive");

        let site = [("key", "outlet"), ("name", ""), ("required_role_id", trade.as_str()), ("active", "on")];
        let html = refused_422(&app, post(&app, &admin, "/console/sites/new", &site).await, "no name").await;
        assert!(html.contains("value=\"outlet\"") && html.contains("id=\"name-error\""), "[{label}]");
        let good = [("key", "outlet"), ("name", "Outlet"), ("required_role_id", trade.as_str()), ("active", "on")];
        redirected(&app, &post(&app, &admin, "/console/sites/new", &good).await, "/console/sites?notice=site_created");
        assert!(text_of(&page(&app, &admin, "/console/sites").await).contains("Trade desk"), "[{label}]");
    })
    .await;
}
