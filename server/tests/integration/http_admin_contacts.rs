//! Contact Management over HTTP without JavaScript (ADM-1, ADM-2, ADM-3, ADM-8, REG-14,
//! REG-15): the plain posts of Create contact and the Details tab, bad input back with its
//! values (never the temporary password) and nothing written, the list and its search, and the
//! login part hidden and refused with `primary_users_manage_users` off. SQLite and PostgreSQL.

use crate::common;

use app::testing::{colleague, company, one, set_setting};
use common::{for_each_app, location, page, post, signed_in, text_of, GOOD_PASSWORD};
use reqwest::StatusCode;

// covers: ADM-2, REG-14, REG-15, SEC-7
#[tokio::test]
async fn create_contact_without_javascript_keeps_the_values_of_bad_input_and_saves_good_input() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let form = page(&app, &pat, "/admin/contacts/new").await;
        for label_text in [
            "First name",
            "Last name",
            "Email",
            "Phone",
            "Job title",
            "Do you want to register this contact as a user?",
            "User type",
            "Username",
            "Send an invitation link",
            "Set a temporary password",
            "Primary account",
            "Start date",
            "End date",
        ] {
            assert!(text_of(&form).contains(label_text), "[{label}] the form has {label_text}");
        }
        let persons = app.count("persons").await;
        let bad = [
            ("first_name", "Rita"),
            ("last_name", ""),
            ("email", "rita@example.com"),
            ("job_title", "Buyer"),
            ("contact_status", "active"),
            ("register_as_user", "yes"),
            ("user_type", "company_business"),
            ("username", "pat.owner"),
            ("password_method", "temporary"),
            ("temporary_password", "short"),
        ];
        let response = post(&app, &pat, "/admin/contacts/new", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Rita\"") && html.contains("value=\"Buyer\""), "[{label}] values kept");
        assert!(!html.contains("value=\"short\""), "[{label}] the temporary password is never sent back");
        assert!(html.contains("id=\"last_name-error\""), "[{label}] the last name's error next to it");
        assert!(html.contains("id=\"temporary_password-error\""), "[{label}] the password's error next to it");
        assert_eq!(app.count("persons").await, persons, "[{label}] nothing written");

        let taken = [
            ("first_name", "Rita"),
            ("last_name", "Moreno"),
            ("email", "rita@example.com"),
            ("contact_status", "active"),
            ("register_as_user", "yes"),
            ("user_type", "company_business"),
            ("username", "PAT.OWNER"),
            ("password_method", "invite"),
        ];
        let response = post(&app, &pat, "/admin/contacts/new", &taken).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(text_of(&response.text().await.unwrap()).contains("Username already used"), "[{label}] REG-8");

        let mut good = taken.to_vec();
        good[6] = ("username", "rita.m");
        let response = post(&app, &pat, "/admin/contacts/new", &good).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        let next = location(&response);
        assert!(next.starts_with("/admin/contacts/") && next.ends_with("?notice=user_invited"), "[{label}] {next}");
        let details = page(&app, &pat, &next).await;
        assert!(text_of(&details).contains("We sent them an e-mail"), "[{label}] the notice");
        assert!(details.contains("value=\"rita.m\""), "[{label}] the username on the Details tab");
        colleague(&app.state, &acme, "ann.lee", None).await;
        let list = page(&app, &pat, "/admin/contacts?q=&status=").await;
        assert!(text_of(&list).contains("ann.lee"), "[{label}] the staff member is listed");
        let rows = &list[list.find("<tbody").expect("a table")..list.find("</tbody>").expect("its end")];
        assert!(!rows.contains("pat.owner"), "[{label}] never the caller");
        let list = page(&app, &pat, "/admin/contacts?q=mor&status=").await;
        assert!(text_of(&list).contains("Rita Moreno"), "[{label}] found by last-name prefix");

        let none = page(&app, &pat, "/admin/contacts?q=zz&status=").await;
        assert!(text_of(&none).contains("No contacts match."), "[{label}]");
    })
    .await;
}

// covers: ADM-8, ADM-3
#[tokio::test]
async fn with_primary_users_manage_users_off_the_login_part_is_hidden_and_refused() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&app.state, &acme, "ann.lee", None).await;
        set_setting(&app.state, "primary_users_manage_users", "0").await;
        let pat = signed_in(&app, "pat.owner", GOOD_PASSWORD).await;
        let form = page(&app, &pat, "/admin/contacts/new").await;
        assert!(!text_of(&form).contains("register this contact as a user"), "[{label}] hidden");
        let users = app.count("users").await;
        let posted = [
            ("first_name", "Rita"),
            ("last_name", "Moreno"),
            ("email", "rita@example.com"),
            ("contact_status", "active"),
            ("register_as_user", "yes"),
            ("user_type", "company_business"),
            ("username", "rita.m"),
            ("password_method", "invite"),
        ];
        let response = post(&app, &pat, "/admin/contacts/new", &posted).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "[{label}] refused by the server");
        assert_eq!(app.count("users").await, users, "[{label}] nothing written");

        let contact = one(&app.state, "SELECT contact_id FROM users WHERE id = $1", &[&ann]).await;
        let details = page(&app, &pat, &format!("/admin/contacts/{contact}")).await;
        assert!(!details.contains("name=\"username\""), "[{label}] the username is not offered");
        assert!(!text_of(&details).contains("Send a set-password link"), "[{label}]");
        let invite = post(&app, &pat, &format!("/admin/contacts/{contact}/invite"), &[]).await;
        assert_eq!(invite.status(), StatusCode::FORBIDDEN, "[{label}]");
        let change = [
            ("first_name", "Ann"),
            ("last_name", "Lee-Smith"),
            ("email", "ann@example.com"),
            ("contact_status", "active"),
            ("user_status", "active"),
            ("username", "hijack"),
        ];
        let saved = post(&app, &pat, &format!("/admin/contacts/{contact}"), &change).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "[{label}] contacts stay editable");
        assert_eq!(
            one(&app.state, "SELECT username FROM users WHERE id = $1", &[&ann]).await,
            "ann.lee",
            "[{label}] the posted username is ignored"
        );
        let name = one(
            &app.state,
            "SELECT p.last_name FROM users u JOIN persons p ON p.id = u.person_id WHERE u.id = $1",
            &[&ann],
        )
        .await;
        assert_eq!(name, "Lee-Smith", "[{label}]");
    })
    .await;
}
