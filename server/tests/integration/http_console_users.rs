//! The console's users over HTTP without JavaScript (CON-3, REG-14, REG-15, SEC-7): every form
//! is a plain post; bad input comes back as 422 with its values (never a password) and nothing
//! written; a generated password is answered once in the page — no redirect, not stored, not in
//! the log. SQLite and PostgreSQL. Their refusal to customers (SEC-5) is in the console's
//! matrix, `http_console_isolation`.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use app::testing::{colleague, company, one, strings, PRIMARY_USER_ROLE};
use common::{
    browser, for_each_app, header_value, location, merchant_admin, page, post, signed_in, text_of, TestApp,
    GOOD_PASSWORD,
};
use reqwest::{header, StatusCode};

async fn user_id(app: &TestApp, username: &str) -> String {
    one(&app.state, "SELECT id FROM users WHERE lower_username = $1 AND released_at IS NULL", &[username]).await
}

/// Everything the database keeps as text where a secret could leak.
async fn stored_text(app: &TestApp) -> String {
    let mut all = Vec::new();
    for sql in [
        "SELECT COALESCE(before_value, '') || COALESCE(after_value, '') || COALESCE(justification, '') FROM audit_log",
        "SELECT subject || text_body || html_body FROM outbox",
        "SELECT data FROM sessions",
        "SELECT username || COALESCE(password_hash, '') FROM users",
    ] {
        all.extend(strings(&app.state, sql, &[]).await);
    }
    all.join("\n")
}

/// Log lines written while the returned guard lives (this test's thread: the app runs on it).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn start(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

// covers: CON-3, REG-8, REG-14, REG-15, PAR-1
#[tokio::test]
async fn create_user_without_javascript_keeps_bad_input_and_refuses_a_taken_username() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let form = text_of(&page(&app, &admin, "/console/users/new").await);
        for field in ["First name", "Last name", "Email", "Username", "Create user"] {
            assert!(form.contains(field), "[{label}] the form has {field}");
        }
        let users = app.count("users").await;
        let bad = [("first_name", "Rita"), ("last_name", ""), ("email", "not-an-address"), ("username", "rita.m")];
        let response = post(&app, &admin, "/console/users/new", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Rita\"") && html.contains("value=\"rita.m\""), "[{label}] values kept");
        assert!(html.contains("id=\"last_name-error\"") && html.contains("id=\"email-error\""), "[{label}]");
        assert_eq!(app.count("users").await, users, "[{label}] nothing written");

        let good =
            [("first_name", "Rita"), ("last_name", "Moreno"), ("email", "rita@example.com"), ("username", "rita.m")];
        let response = post(&app, &admin, "/console/users/new", &good).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
        let next = location(&response);
        assert!(next.starts_with("/console/users/") && next.ends_with("?notice=created"), "[{label}] {next}");
        let shown = text_of(&page(&app, &admin, &next).await);
        assert!(shown.contains("Rita Moreno") && shown.contains("rita@example.com"), "[{label}] {shown}");
        assert!(shown.contains("partial registration"), "[{label}] what the bare user still has to do");

        let taken =
            [("first_name", "Other"), ("last_name", "Person"), ("email", "o@example.com"), ("username", "RITA.M")];
        let response = post(&app, &admin, "/console/users/new", &taken).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(text_of(&response.text().await.unwrap()).contains("Username already used"), "[{label}]");

        let list = text_of(&page(&app, &admin, "/console/users?q=MOREN").await);
        assert!(list.contains("Rita Moreno") && list.contains("rita.m"), "[{label}] found by a last-name prefix");
        let none = text_of(&page(&app, &admin, "/console/users?q=r%25").await);
        assert!(none.contains("No users match"), "[{label}] % is literal");
    })
    .await;
}

// covers: CON-3, LOG-2, REG-14, REG-15, CON-5
#[tokio::test]
async fn disable_enable_roles_and_delete_work_as_plain_posts() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        colleague(&app.state, &acme, "ann.staff", None).await;
        let ann = user_id(&app, "ann.staff").await;
        let base = format!("/console/users/{ann}");
        let shown = text_of(&page(&app, &admin, &base).await);
        for text in ["ann.staff", "Acme Tools", "Disable", "Reset password", "Delete", "Business User", "Grant a role"]
        {
            assert!(shown.contains(text), "[{label}] the user page shows {text}: {shown}");
        }

        let response =
            post(&app, &admin, &format!("{base}/disable"), &[("effective_date", "2031-05-06"), ("justification", " ")])
                .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"2031-05-06\"") && html.contains("id=\"justification-error\""), "[{label}]");
        assert_eq!(app.count("user_disable_schedules").await, 0, "[{label}] nothing written");
        let response =
            post(&app, &admin, &format!("{base}/disable"), &[("effective_date", ""), ("justification", "Left")]).await;
        assert_eq!(location(&response), format!("{base}?notice=disabled"), "[{label}]");
        let refused =
            post(&app, &browser().0, "/login", &[("username", "ann.staff"), ("password", GOOD_PASSWORD)]).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "[{label}] sign-in refused (LOG-2)");
        assert!(text_of(&refused.text().await.unwrap()).contains("Your access is not active"), "[{label}]");

        let response = post(&app, &admin, &format!("{base}/enable"), &[("justification", "")]).await;
        assert_eq!(location(&response), format!("{base}?notice=enabled"), "[{label}]");
        signed_in(&app, "ann.staff", GOOD_PASSWORD).await;

        let bad = [
            ("role_id", PRIMARY_USER_ROLE),
            ("start_date", "2031-02-01"),
            ("end_date", "2031-01-01"),
            ("justification", "Cover"),
        ];
        let response = post(&app, &admin, &format!("{base}/roles/grant"), &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"end_date-error\"") && html.contains("value=\"2031-02-01\""), "[{label}]");
        let chosen = html.split(&format!("value=\"{PRIMARY_USER_ROLE}\"")).nth(1).unwrap_or_default();
        assert!(chosen.trim_start().starts_with("selected"), "[{label}] the chosen role kept");
        let good = [
            ("role_id", PRIMARY_USER_ROLE),
            ("start_date", "2031-01-01"),
            ("end_date", ""),
            ("justification", "Cover"),
        ];
        let response = post(&app, &admin, &format!("{base}/roles/grant"), &good).await;
        assert_eq!(location(&response), format!("{base}?notice=role_granted"), "[{label}]");
        let shown = text_of(&page(&app, &admin, &base).await);
        assert!(shown.contains("2031-01-01") && shown.contains("Cover"), "[{label}] dated, justified: {shown}");
        let remove = format!("{base}/roles/{PRIMARY_USER_ROLE}/remove");
        assert!(text_of(&page(&app, &admin, &remove).await).contains("Remove the role Primary User"), "[{label}]");
        let response = post(&app, &admin, &remove, &[("justification", "")]).await;
        assert_eq!(location(&response), format!("{base}?notice=role_removed"), "[{label}]");

        let response = post(&app, &admin, &format!("{base}/delete"), &[("justification", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}] a justification is required");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&ann]).await, "active", "[{label}]");
        let response = post(&app, &admin, &format!("{base}/delete"), &[("justification", "Duplicate login")]).await;
        assert_eq!(location(&response), format!("{base}?notice=deleted"), "[{label}]");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&ann]).await, "deleted", "[{label}]");
        let actions =
            strings(&app.state, "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY at, action", &[&ann])
                .await;
        for action in ["user.disabled", "user.enabled", "user.role_granted", "user.role_removed", "user.deleted"] {
            assert!(actions.contains(&action.to_owned()), "[{label}] {action} audited: {actions:?}");
        }
    })
    .await;
}

// covers: CON-3, LOG-3, SEC-7, REG-14
#[tokio::test]
async fn a_generated_password_is_shown_once_in_the_answer_and_nowhere_else() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        app.registered_elsewhere("dana.s").await;
        let dana = user_id(&app, "dana.s").await;
        let path = format!("/console/users/{dana}/password");
        let form = text_of(&page(&app, &admin, &path).await);
        assert!(form.contains("Type a password") && form.contains("Generate a password"), "[{label}]");

        let typed =
            [("password_method", "typed"), ("password", "quiet orchard lantern 42"), ("password_confirm", "nope")];
        let response = post(&app, &admin, &path, &typed).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let html = response.text().await.unwrap();
        assert!(!html.contains("quiet orchard lantern 42") && !html.contains("value=\"nope\""), "[{label}] no echo");
        assert!(html.contains("id=\"password_confirm-error\""), "[{label}]");

        let log = Captured::default();
        let guard = log.start();
        let response = post(&app, &admin, &path, &[("password_method", "generated")]).await;
        drop(guard);
        assert_eq!(response.status(), StatusCode::OK, "[{label}] the answer itself, not a redirect");
        assert!(response.headers().get(header::LOCATION).is_none(), "[{label}]");
        assert_eq!(header_value(&response, "cache-control").as_deref(), Some("no-store"), "[{label}]");
        let html = response.text().await.unwrap();
        let (_, rest) = html.split_once("class=\"generated-password\">").expect("the password is shown");
        let password = text_of(&rest[..rest.find("</code>").expect("end of the password")]);
        assert!(password.len() >= 20, "[{label}] {password}");
        assert!(!stored_text(&app).await.contains(&password), "[{label}] not stored in clear, audited or mailed");
        let logged = log.text();
        assert!(logged.contains("/console/users/"), "[{label}] the request was logged (the capture works)");
        assert!(!logged.contains(&password), "[{label}] never logged");
        let again = text_of(&page(&app, &admin, &path).await);
        assert!(!again.contains(&password), "[{label}] shown once: the page shows the form again");

        let dana_browser = browser().0;
        let response = post(&app, &dana_browser, "/login", &[("username", "dana.s"), ("password", &password)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}] Dana signs in with it");
        let home = dana_browser.get(app.url("/profile")).send().await.unwrap();
        assert!(location(&home).starts_with("/password/change"), "[{label}] and must change it first (LOG-3)");
    })
    .await;
}
