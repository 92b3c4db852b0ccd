//! Operations and response hardening over HTTP: health checks (OPS-4), request IDs (OPS-4,
//! LOG-1) and security headers (SEC-6), on SQLite and PostgreSQL.

use crate::common;

use common::{for_each_app, header_value};
use reqwest::StatusCode;

// covers: OPS-4
#[tokio::test]
async fn liveness_and_readiness_answer_ok() {
    for_each_app(|app| async move {
        let label = app.label;
        let live = app.get("/healthz").await;
        assert_eq!(live.status(), StatusCode::OK, "[{label}] /healthz");
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), StatusCode::OK, "[{label}] /readyz with the database up");
        assert_eq!(ready.text().await.unwrap(), "ready", "[{label}]");
    })
    .await;
}

// covers: OPS-4
#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    for_each_app(|app| async move {
        let label = app.label;
        app.state.db.close().await;
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE, "[{label}]");
        assert_eq!(app.get("/healthz").await.status(), StatusCode::OK, "[{label}] still alive");
    })
    .await;
}

// covers: OPS-4, LOG-1
#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    for_each_app(|app| async move {
        let label = app.label;
        let mut seen = Vec::new();
        for path in ["/healthz", "/", "/register", "/no-such-page"] {
            let response = app.get(path).await;
            let id = header_value(&response, "x-request-id").unwrap_or_else(|| panic!("[{label}] {path}"));
            assert_eq!(id.len(), 8, "[{label}] a short reference code: {id}");
            seen.push(id);
        }
        let before = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), before, "[{label}] each request has its own ID");
    })
    .await;
}

/// The value of `attribute="…"` in the first tag that starts with `tag_start`.
fn attribute_of(html: &str, tag_start: &str, attribute: &str) -> Option<String> {
    let tag = &html[html.find(tag_start)?..];
    let tag = &tag[..tag.find('>')?];
    let key = format!("{attribute}=\"");
    let value = &tag[tag.find(&key)? + key.len()..];
    Some(value[..value.find('"')?].to_owned())
}

// covers: SEC-6
#[tokio::test]
async fn pages_carry_security_headers_and_a_csp_nonce_matching_the_inline_script() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.get("/").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let csp = header_value(&response, "content-security-policy").expect("Content-Security-Policy");
        assert!(csp.contains("frame-ancestors 'none'"), "[{label}] {csp}");
        assert!(csp.contains("default-src 'self'"), "[{label}] {csp}");
        assert!(!csp.contains("unsafe-inline"), "[{label}] {csp}");
        assert_eq!(header_value(&response, "x-content-type-options").as_deref(), Some("nosniff"), "[{label}]");
        let referrer = header_value(&response, "referrer-policy").expect("Referrer-Policy");
        assert!(
            ["same-origin", "no-referrer", "strict-origin-when-cross-origin"].contains(&referrer.as_str()),
            "[{label}] {referrer}"
        );
        let start = csp.find("'nonce-").expect("a nonce in script-src") + "'nonce-".len();
        let nonce = &csp[start..start + csp[start..].find('\'').expect("end of nonce")];
        assert!(nonce.len() >= 16, "[{label}] a nonce of enough entropy: {nonce}");

        let html = response.text().await.unwrap();
        let script_nonce = attribute_of(&html, "<script", "nonce").expect("an inline script with a nonce");
        assert_eq!(script_nonce, nonce, "[{label}] the inline script may run under the CSP");

        let again = app.get("/").await;
        let other = header_value(&again, "content-security-policy").unwrap();
        assert_ne!(other, csp, "[{label}] a new nonce per response");
    })
    .await;
}
