//! Issue 11: only a page with something to enhance loads the browser half of the app
//! (`app::ui::page_scripts`); the others are plain HTML and CSS.

use crate::common::{for_each_app, header_value};

/// The loader's tags in a page: (module preloads, module scripts).
fn loader_tags(html: &str) -> (usize, usize) {
    let scripts = html
        .split("<script")
        .skip(1)
        .filter(|tag| tag.split('>').next().is_some_and(|a| a.contains("type=\"module\"")));
    (html.matches("rel=\"modulepreload\"").count(), scripts.count())
}

// covers: REG-15, SEC-6
#[tokio::test]
async fn pages_without_a_form_to_enhance_load_no_script_and_pages_with_one_load_it_once() {
    for_each_app(|app| async move {
        let label = app.label;
        for path in ["/", "/register", "/register/pending", "/no-such-page"] {
            let response = app.get(path).await;
            assert!(response.status().as_u16() < 500, "[{label}] {path}: {}", response.status());
            let html = response.text().await.unwrap();
            assert_eq!(loader_tags(&html), (0, 0), "[{label}] {path} asks for no script");
            assert!(!html.contains(".wasm"), "[{label}] {path} names no wasm");
        }

        // The sign-in page has one enhanced form; the registration form one, inside a Suspense.
        for path in ["/login", "/register/individual", "/forgot"] {
            let response = app.get(path).await;
            let csp = header_value(&response, "content-security-policy").unwrap_or_default();
            let html = response.text().await.unwrap();
            assert_eq!(loader_tags(&html), (1, 1), "[{label}] {path} loads the app exactly once");
            let head = &html[..html.find("</head>").expect("a head")];
            assert!(head.contains("href=\"/pkg/gatehouse.js\" rel=\"modulepreload\""), "[{label}] {path}: {head}");
            assert!(head.contains("/pkg/gatehouse_bg.wasm"), "[{label}] {path} preloads the wasm");
            assert!(head.contains("app.hydrate()"), "[{label}] {path} hydrates");
            // The loader runs under the page's content security policy: it carries its nonce.
            let nonce =
                csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy");
            assert!(head.contains(&format!("<script nonce=\"{nonce}\" type=\"module\">")), "[{label}] {path}: {head}");
        }
    })
    .await;
}
