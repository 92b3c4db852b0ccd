//! The console without JavaScript (CON-1, CON-2, REG-14, REG-15): the user type and settings
//! forms post plainly, bad input comes back with its values and errors next to the fields and
//! writes nothing, good input is saved and takes effect on the next request. SQLite and
//! PostgreSQL.

use crate::common;

use common::{for_each_app, location, merchant_admin, page, post, text_of};
use reqwest::StatusCode;

// covers: CON-1, REG-1, REG-14, REG-15
#[tokio::test]
async fn a_user_type_is_activated_without_javascript_and_appears_on_register() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let form = page(&app, &admin, "/console/user-types/partner_primary").await;
        for text in [
            "Key",
            "Long name",
            "Short name",
            "Group",
            "Kind",
            "Approval definition",
            "Roles",
            "Enrollments",
            "Active",
            "Save",
        ] {
            assert!(text_of(&form).contains(text), "[{label}] the form has {text}");
        }
        assert!(
            form.contains("name=\"active\"") && form.contains("type=\"checkbox\""),
            "[{label}] Active is a checkbox"
        );
        assert!(!form.contains("<select multiple") && !form.contains(" multiple"), "[{label}] no multi-select");
        assert!(!text_of(&page(&app, &admin, "/register").await).contains("Register as a partner"), "[{label}]");

        let before = app.count("audit_log").await;
        let bad = [
            ("key", "Partner Primary"),
            ("long_name", "Register as a partner"),
            ("short_name", ""),
            ("group", "partner"),
            ("kind", "partner_admin"),
            ("active", "on"),
            ("self_service", "on"),
        ];
        let response = post(&app, &admin, "/console/user-types/partner_primary", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Partner Primary\""), "[{label}] the posted key is kept");
        assert!(
            html.contains("id=\"key-error\"") && html.contains("id=\"short_name-error\""),
            "[{label}] errors by the fields"
        );
        assert_eq!(app.count("audit_log").await, before, "[{label}] nothing written");

        let good = [
            ("key", "partner_primary"),
            ("long_name", "Register as a partner"),
            ("short_name", "Partner administrator"),
            ("group", "partner"),
            ("kind", "partner_admin"),
            ("roles", "00000000-0000-7000-8000-000000000104"),
            ("sort_order", "40"),
            ("active", "on"),
            ("self_service", "on"),
        ];
        let response = post(&app, &admin, "/console/user-types/partner_primary", &good).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/console/user-types/partner_primary?notice=saved", "[{label}]");
        let register = text_of(&page(&app, &admin, "/register").await);
        assert!(register.contains("Register as a partner"), "[{label}] on /register at once");
        let list = text_of(&page(&app, &admin, "/console/user-types").await);
        assert!(list.contains("Partner administrator"), "[{label}] {list}");
    })
    .await;
}

// covers: CON-2, REG-14, REG-15
#[tokio::test]
async fn settings_post_without_javascript_show_defaults_and_refuse_bad_numbers() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let html = page(&app, &admin, "/console/settings").await;
        for text in [
            "Minimum password length",
            "Default: 12.",
            "Universal approver",
            "Public base URL",
            "Multi-customer access",
        ] {
            assert!(text_of(&html).contains(text), "[{label}] {text}");
        }
        let rows = app.count("settings").await;
        let bad = [("password_min_length", "4"), ("merchant_name", "Northwind Store"), ("session_idle_minutes", "30")];
        let response = post(&app, &admin, "/console/settings", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Northwind Store\""), "[{label}] values kept");
        assert!(html.contains("id=\"password_min_length-error\""), "[{label}]");
        assert_eq!(app.count("settings").await, rows, "[{label}] nothing written");

        let good = [
            ("password_min_length", "14"),
            ("password_hard_to_guess", "on"),
            ("approval_timeout_minutes", "0"),
            ("auto_create_account", "on"),
            ("inactivate_customer_data_on_rejection", "on"),
            ("primary_users_manage_users", "on"),
            ("session_idle_minutes", "30"),
            ("session_absolute_hours", "12"),
            ("sign_in_delay_after_failures", "5"),
            ("sign_in_lock_after_failures", "20"),
            ("sign_in_lock_minutes", "15"),
            ("merchant_name", "Northwind Store"),
            ("sender_address", "Northwind <no-reply@northwind.example>"),
            ("support_contact", "help@northwind.example"),
            ("public_base_url", ""),
            ("universal_approver", ""),
        ];
        let response = post(&app, &admin, "/console/settings", &good).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(location(&response), "/console/settings?notice=saved", "[{label}]");
        let html = page(&app, &admin, "/console/settings").await;
        assert!(html.contains("value=\"14\"") && html.contains("value=\"Northwind Store\""), "[{label}]");
        let audit = text_of(&page(&app, &admin, "/console/audit?action=setting.changed").await);
        assert!(audit.contains("merchant_name") && audit.contains("password_min_length"), "[{label}] {audit}");
    })
    .await;
}
