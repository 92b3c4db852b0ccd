//! A user's Roles, Sites and Accounts tabs and Role Management over HTTP, as plain form posts
//! without JavaScript (ADM-4 … ADM-7, REG-15): a grant shows on the user's next page, a refused
//! post renders its page again with the reason, the role form keeps what was typed, the
//! account removal confirmation warns before the last account, and every URL is refused to a
//! business user and another company (SEC-5). SQLite and PostgreSQL.

use crate::common;

use app::domain::Permission;
use app::testing::{
    colleague, company, company_account, contact_of, custom_role_of, every_permission, limited_admin, one, roles_of,
    site, sites_of, Company, PRIMARY_USER_ROLE,
};
use common::{alert_text, for_each_app, location, post, signed_in, text_of, TestApp, GOOD_PASSWORD};
use reqwest::{Client, StatusCode};

async fn page(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    (response.status(), response.text().await.unwrap())
}

/// Acme with Pat (primary user) and Ann (business user); Ann's contact id.
async fn acme_with_ann(app: &TestApp) -> (Company, String, String) {
    let acme = company(&app.state, "Acme Tools", "pat.owner").await;
    let ann = colleague(&app.state, &acme, "ann.lee", None).await;
    let contact = contact_of(&app.state, &ann).await;
    (acme, ann, contact)
}

// covers: ADM-4, ADM-9, REG-15
#[tokio::test]
async fn a_role_granted_by_a_plain_post_shows_on_the_users_next_page_and_a_revoked_one_is_gone() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, _ann, contact) = acme_with_ann(&app).await;
        let approvers = custom_role_of(&app.state, &acme.org, "Approvers", &[Permission::PendingApprovals]).await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let ann = signed_in(&app, "ann.lee", GOOD_PASSWORD).await;
        let roles = format!("/admin/contacts/{contact}/roles");

        let (status, html) = page(&app, &pat, &roles).await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        let grant = format!("{roles}/{approvers}/grant");
        assert!(html.contains(&format!("action=\"{grant}\"")), "[{label}] a Grant row button");
        assert!(html.contains("aria-label=\"Grant Approvers\""), "[{label}]");
        assert!(html.contains("href=\"/admin/contacts/") && html.contains("aria-current=\"page\""), "[{label}] tabs");
        assert!(!page(&app, &ann, "/profile").await.1.contains("href=\"/admin/approvals\""), "[{label}]");

        let granted = post(&app, &pat, &grant, &[]).await;
        assert_eq!(granted.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&granted), format!("{roles}?notice=role_granted"), "[{label}]");
        assert!(page(&app, &ann, "/profile").await.1.contains("href=\"/admin/approvals\""), "[{label}] next page");
        assert_eq!(page(&app, &ann, "/admin/approvals").await.0, StatusCode::OK, "[{label}]");
        let (_, html) = page(&app, &pat, &format!("{roles}?notice=role_granted")).await;
        assert!(text_of(&html).contains("The role was granted."), "[{label}]");
        assert!(html.contains("aria-label=\"Revoke Approvers\""), "[{label}]");

        let revoked = post(&app, &pat, &format!("{roles}/{approvers}/revoke"), &[]).await;
        assert_eq!(location(&revoked), format!("{roles}?notice=role_revoked"), "[{label}]");
        assert!(!page(&app, &ann, "/profile").await.1.contains("href=\"/admin/approvals\""), "[{label}] gone");
        assert_eq!(page(&app, &ann, "/admin/approvals").await.0, StatusCode::FORBIDDEN, "[{label}]");
    })
    .await;
}

// covers: ADM-4, REG-15
#[tokio::test]
async fn a_refused_post_renders_the_tab_again_with_the_reason_and_changes_nothing() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, _ann, _contact) = acme_with_ann(&app).await;
        limited_admin(&app.state, &acme, "dee.deputy", &every_permission()).await;
        let dee = signed_in(&app, "dee.deputy", GOOD_PASSWORD).await;
        let pat_contact = contact_of(&app.state, &acme.primary).await;
        let audits = app.count("audit_log").await;

        let response =
            post(&app, &dee, &format!("/admin/contacts/{pat_contact}/roles/{PRIMARY_USER_ROLE}/revoke"), &[]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(alert_text(&html).contains("at least one active administrator"), "[{label}] {}", alert_text(&html));
        assert!(text_of(&html).contains("Roles held"), "[{label}] the Roles tab again");
        assert!(roles_of(&app.state, &acme.primary).await.contains(&PRIMARY_USER_ROLE.to_owned()), "[{label}]");

        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let own =
            post(&app, &pat, &format!("/admin/contacts/{pat_contact}/roles/{PRIMARY_USER_ROLE}/revoke"), &[]).await;
        assert_eq!(own.status(), StatusCode::CONFLICT, "[{label}]");
        assert!(alert_text(&own.text().await.unwrap()).contains("cannot change your own access"), "[{label}]");
        assert_eq!(app.count("audit_log").await, audits, "[{label}] nothing written");
    })
    .await;
}

// covers: ADM-7, REG-14, REG-15
#[tokio::test]
async fn the_role_form_keeps_what_was_typed_and_saves_edits_and_deletes_by_plain_posts() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, ann, contact) = acme_with_ann(&app).await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let (status, html) = page(&app, &pat, "/admin/roles/new").await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        assert_eq!(html.matches("name=\"permissions\"").count(), every_permission().len(), "[{label}] Pat's own");

        let bad =
            [("name", "Order desk"), ("description", "North"), ("permissions", "ORG_DETAILS"), ("permissions", "ROOT")];
        let response = post(&app, &pat, "/admin/roles/new", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Order desk\""), "[{label}] the name is kept");
        assert!(text_of(&html).contains("Choose only permissions you hold yourself"), "[{label}]");
        assert!(checkbox_checked(&html, "ORG_DETAILS"), "[{label}] the checked box is kept");
        assert!(!checkbox_checked(&html, "VIEW_ACCOUNTS"), "[{label}]");
        assert_eq!(
            one(&app.state, "SELECT CAST(COUNT(*) AS TEXT) FROM roles WHERE organization_id = $1", &[&acme.org]).await,
            "0"
        );

        let good = [("name", "Order desk"), ("description", "North"), ("permissions", "ORG_DETAILS")];
        let created = post(&app, &pat, "/admin/roles/new", &good).await;
        assert_eq!(location(&created), "/admin/roles?notice=role_created", "[{label}]");
        let again =
            post(&app, &pat, "/admin/roles/new", &[("name", "ORDER DESK"), ("permissions", "ORG_DETAILS")]).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(text_of(&again.text().await.unwrap()).contains("A role with this name already exists"), "[{label}]");
        let id = one(&app.state, "SELECT id FROM roles WHERE organization_id = $1", &[&acme.org]).await;
        let (_, list) = page(&app, &pat, "/admin/roles").await;
        assert!(text_of(&list).contains("Order desk") && text_of(&list).contains("Primary User"), "[{label}]");

        let edited = post(
            &app,
            &pat,
            &format!("/admin/roles/{id}"),
            &[("name", "Order desk"), ("permissions", "PENDING_APPROVALS")],
        )
        .await;
        assert_eq!(location(&edited), "/admin/roles?notice=role_saved", "[{label}]");
        let (_, form) = page(&app, &pat, &format!("/admin/roles/{id}")).await;
        assert!(checkbox_checked(&form, "PENDING_APPROVALS") && !checkbox_checked(&form, "ORG_DETAILS"), "[{label}]");

        post(&app, &pat, &format!("/admin/contacts/{contact}/roles/{id}/grant"), &[]).await;
        let (_, confirm) = page(&app, &pat, &format!("/admin/roles/{id}/delete")).await;
        assert!(text_of(&confirm).contains("1 user holds this role"), "[{label}]");
        let deleted = post(&app, &pat, &format!("/admin/roles/{id}/delete"), &[]).await;
        assert_eq!(location(&deleted), "/admin/roles?notice=role_deleted", "[{label}]");
        assert!(!roles_of(&app.state, &ann).await.contains(&id), "[{label}]");
        assert_eq!(page(&app, &pat, &format!("/admin/roles/{id}")).await.0, StatusCode::NOT_FOUND, "[{label}]");
    })
    .await;
}

/// Whether the checkbox with `value` is rendered checked.
fn checkbox_checked(html: &str, value: &str) -> bool {
    let at = html.find(&format!("value=\"{value}\"")).expect("the checkbox");
    let start = html[..at].rfind('<').expect("its tag");
    let end = at + html[at..].find('>').expect("its end");
    html[start..end].contains("checked")
}

// covers: ADM-5, ADM-6, REG-15
#[tokio::test]
async fn sites_and_accounts_change_by_plain_posts_and_the_last_account_is_removed_after_a_warning() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, ann, contact) = acme_with_ann(&app).await;
        let outlet = site(&app.state, "Outlet", None).await;
        let second = company_account(&app.state, &acme.org, "A-ZZ000002").await;
        let first = one(&app.state, "SELECT account_id FROM account_assignments WHERE user_id = $1", &[&ann]).await;
        let first_number = one(&app.state, "SELECT account_number FROM accounts WHERE id = $1", &[&first]).await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let sites = format!("/admin/contacts/{contact}/sites");
        let accounts = format!("/admin/contacts/{contact}/accounts");

        assert!(page(&app, &pat, &sites).await.1.contains("aria-label=\"Assign Outlet\""), "[{label}]");
        let assigned = post(&app, &pat, &format!("{sites}/{outlet}/assign"), &[]).await;
        assert_eq!(location(&assigned), format!("{sites}?notice=site_assigned"), "[{label}]");
        assert_eq!(sites_of(&app.state, &ann).await, std::slice::from_ref(&outlet), "[{label}]");
        let removed = post(&app, &pat, &format!("{sites}/{outlet}/remove"), &[]).await;
        assert_eq!(location(&removed), format!("{sites}?notice=site_removed"), "[{label}]");
        assert!(sites_of(&app.state, &ann).await.is_empty(), "[{label}]");

        let added = post(&app, &pat, &format!("{accounts}/{second}/assign"), &[]).await;
        assert_eq!(location(&added), format!("{accounts}?notice=account_assigned"), "[{label}]");
        let (_, confirm) = page(&app, &pat, &format!("{accounts}/{first}/remove")).await;
        assert!(text_of(&confirm).contains(&format!("Remove account {first_number} from Ann Lee?")), "[{label}]");
        assert!(!confirm.contains("class=\"warning\""), "[{label}] another account remains");
        post(&app, &pat, &format!("{accounts}/{first}/remove"), &[]).await;
        let (_, confirm) = page(&app, &pat, &format!("{accounts}/{second}/remove")).await;
        assert!(confirm.contains("class=\"warning\""), "[{label}] the last account: a warning");
        assert!(text_of(&confirm).contains("Ann Lee will have no account"), "[{label}]");
        assert!(
            !confirm.contains("class=\"form-alert\" role=\"alert\" aria-live=\"assertive\"><p"),
            "[{label}] not an error"
        );
        let gone = post(&app, &pat, &format!("{accounts}/{second}/remove"), &[]).await;
        assert_eq!(location(&gone), format!("{accounts}?notice=account_removed"), "[{label}]");
        let (_, tab) = page(&app, &pat, &accounts).await;
        assert!(text_of(&tab).contains("Ann Lee has no account of your company."), "[{label}]");
    })
    .await;
}

// covers: ADM-4, ADM-5, ADM-6, ADM-7, ADM-9, SEC-5
#[tokio::test]
async fn every_url_is_refused_to_a_business_user_and_another_companys_ids_are_not_found() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme, ann, contact) = acme_with_ann(&app).await;
        company(&app.state, "Globex", "kim.owner").await;
        let role = custom_role_of(&app.state, &acme.org, "Approvers", &[Permission::PendingApprovals]).await;
        let outlet = site(&app.state, "Outlet", None).await;
        let account = one(&app.state, "SELECT account_id FROM account_assignments WHERE user_id = $1", &[&ann]).await;
        colleague(&app.state, &acme, "bob.staff", None).await;
        let pages = [
            format!("/admin/contacts/{contact}/roles"),
            format!("/admin/contacts/{contact}/sites"),
            format!("/admin/contacts/{contact}/accounts"),
            format!("/admin/contacts/{contact}/accounts/{account}/remove"),
            "/admin/roles".to_owned(),
            "/admin/roles/new".to_owned(),
            format!("/admin/roles/{role}"),
            format!("/admin/roles/{role}/delete"),
        ];
        let posts = [
            format!("/admin/contacts/{contact}/roles/{role}/grant"),
            format!("/admin/contacts/{contact}/roles/{PRIMARY_USER_ROLE}/revoke"),
            format!("/admin/contacts/{contact}/sites/{outlet}/assign"),
            format!("/admin/contacts/{contact}/accounts/{account}/remove"),
            format!("/admin/roles/{role}"),
            format!("/admin/roles/{role}/delete"),
            "/admin/roles/new".to_owned(),
        ];
        let before = [
            app.count("user_roles").await,
            app.count("user_sites").await,
            app.count("account_assignments").await,
            app.count("roles").await,
            app.count("audit_log").await,
        ];
        let form = [("name", "Hijack"), ("permissions", "ORG_DETAILS")];

        let bob = signed_in(&app, "bob.staff", GOOD_PASSWORD).await;
        for path in &pages {
            assert_eq!(page(&app, &bob, path).await.0, StatusCode::FORBIDDEN, "[{label}] business user GET {path}");
        }
        for path in &posts {
            assert_eq!(post(&app, &bob, path, &form).await.status(), StatusCode::FORBIDDEN, "[{label}] POST {path}");
        }
        let kim = signed_in(&app, "kim.owner", GOOD_PASSWORD).await;
        for path in &pages[..4] {
            let (status, html) = page(&app, &kim, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{label}] another company's contact: GET {path}");
            assert!(!html.contains("Ann Lee"), "[{label}] nothing of Acme shown");
        }
        for path in [&pages[6], &pages[7]] {
            assert_eq!(page(&app, &kim, path).await.0, StatusCode::NOT_FOUND, "[{label}] Acme's role: {path}");
        }
        for path in &posts[..6] {
            assert_eq!(post(&app, &kim, path, &form).await.status(), StatusCode::NOT_FOUND, "[{label}] POST {path}");
        }
        let after = [
            app.count("user_roles").await,
            app.count("user_sites").await,
            app.count("account_assignments").await,
            app.count("roles").await,
            app.count("audit_log").await,
        ];
        assert_eq!(after, before, "[{label}] nothing changed");
        assert_eq!(one(&app.state, "SELECT name FROM roles WHERE id = $1", &[&role]).await, "Approvers", "[{label}]");
    })
    .await;
}
