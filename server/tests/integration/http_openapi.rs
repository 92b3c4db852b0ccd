//! `GET /api/v1/openapi.json` (SPEC §13): an OpenAPI 3.1 document generated from the code that
//! serves the API. Every documented path and method is served (it answers something other than
//! 404 or 405), no other method is served on a documented path, and paths nobody documented
//! fall through to the API's 404 problem — the routes and the document are one list
//! (`server::api::routes`: each route is registered with its documentation by utoipa-axum).

use crate::common;

use app::testing::{all_scopes, integration_user};
use common::{for_each_app, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn concrete(path: &str) -> String {
    format!("/api/v1{}", path.replace("{id}", "00000000-0000-7000-8000-000000000000"))
}

async fn call(app: &TestApp, method: &str, path: &str, token: &str) -> reqwest::Response {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("request")
}

// covers: API-5
#[tokio::test]
async fn the_document_is_openapi_3_1_with_its_security_schemes_and_the_problem_schema() {
    for_each_app(|app| async move {
        let label = app.label;
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        assert_eq!(common::header_value(&response, "content-type").as_deref(), Some("application/json"));
        let document: Value = response.json().await.unwrap();
        assert!(document["openapi"].as_str().unwrap_or("").starts_with("3.1"), "[{label}] {}", document["openapi"]);
        let (_, generated) = server::api::routes(server::api::auth::ClientLimits::per_minute(1));
        let generated: Value = serde_json::from_str(&generated.to_json().unwrap()).unwrap();
        assert_eq!(document, generated, "[{label}] served as generated from the code");
        let schemes = &document["components"]["securitySchemes"];
        assert_eq!(schemes["client_credentials"]["type"], "oauth2", "[{label}]");
        assert_eq!(schemes["client_credentials"]["flows"]["clientCredentials"]["tokenUrl"], "/api/v1/token");
        let scopes = schemes["client_credentials"]["flows"]["clientCredentials"]["scopes"].as_object().unwrap();
        for scope in [
            "users:read",
            "users:write",
            "organizations:read",
            "registrations:write",
            "approvals:read",
            "approvals:write",
        ] {
            assert!(scopes.contains_key(scope), "[{label}] {scope} documented");
        }
        assert_eq!(schemes["client_secret_basic"]["scheme"], "basic", "[{label}]");
        let problem = &document["components"]["schemas"]["Problem"]["properties"];
        for member in ["type", "title", "status", "detail", "reference", "errors"] {
            assert!(problem.get(member).is_some(), "[{label}] Problem.{member}");
        }
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.keys().any(|s| s.starts_with('2')), "[{label}] {method} {path} has a success");
                if path != "/token" && path != "/openapi.json" {
                    assert!(operation["security"].is_array(), "[{label}] {method} {path} names its scope");
                    let unauthorized = &responses["401"]["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(unauthorized, "#/components/schemas/Problem", "[{label}] {method} {path}");
                }
            }
        }
    })
    .await;
}

// covers: API-3
#[tokio::test]
async fn every_documented_route_is_served_and_nothing_undocumented_is() {
    for_each_app(|app| async move {
        let label = app.label;
        let (_, secret) = integration_user(&app.state, "cpq", &all_scopes(), &[]).await;
        let token = {
            let response = reqwest::Client::new()
                .post(app.url("/api/v1/token"))
                .basic_auth("cpq", Some(&secret))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
        };
        let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
        let paths = document["paths"].as_object().unwrap();
        assert!(paths.len() >= 8, "[{label}] {:?}", paths.keys().collect::<Vec<_>>());
        for (path, item) in paths {
            let documented: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
            for method in METHODS {
                let response = call(&app, method, &concrete(path), &token).await;
                let status = response.status();
                if documented.contains(&method) {
                    assert!(
                        status != StatusCode::METHOD_NOT_ALLOWED
                            && (status != StatusCode::NOT_FOUND || path.contains("{id}")),
                        "[{label}] documented {method} {path} answered {status}"
                    );
                    if status == StatusCode::NOT_FOUND {
                        // An unknown id: the handler's own problem, not an unserved route.
                        let body: Value = response.json().await.unwrap();
                        assert_eq!(body["detail"], "There is nothing here for you.", "[{label}] {method} {path}");
                    }
                } else {
                    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "[{label}] undocumented {method} {path}");
                }
            }
        }
        for undocumented in ["/api/v1/admin", "/api/v1/users/x/roles", "/api/v1/tokens", "/api/v1/approvals/x"] {
            let response = call(&app, "get", undocumented, &token).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "[{label}] {undocumented} is not served");
            assert_eq!(common::header_value(&response, "content-type").as_deref(), Some("application/problem+json"));
        }
    })
    .await;
}
