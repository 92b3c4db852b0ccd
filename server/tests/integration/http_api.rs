//! The JSON API over HTTP (SPEC §13): client-credentials tokens (API-1), scopes and sales
//! groups (API-2), the resources (API-3), cursor paging (API-4), problem+json errors with the
//! reference code (API-5), idempotency keys and the per-client rate limit (API-6); a customer's
//! session gets nothing from /api/v1, and every protected route answers 401 without a token.
//! SQLite and PostgreSQL.

use crate::common;

use app::domain::integration::ApiScope;
use app::testing::{
    all_scopes, company, integration_user, needs_universal_approval, one, pending_company, person, strings,
};
use common::{for_each_app, spawn_app_with, TestApp, GOOD_PASSWORD};
use reqwest::{header, Client, Response, StatusCode};
use serde_json::{json, Value};

fn api() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn token_response(app: &TestApp, client_id: &str, secret: &str, grant: &str) -> Response {
    api()
        .post(app.url("/api/v1/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[("grant_type", grant)])
        .send()
        .await
        .expect("POST /token")
}

async fn token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let response = token_response(app, client_id, secret, "client_credentials").await;
    assert_eq!(response.status(), StatusCode::OK, "[{}] token for {client_id}", app.label);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().expect("access_token").to_owned()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Response {
    api().get(app.url(path)).bearer_auth(token).send().await.expect("GET")
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Response {
    api().post(app.url(path)).bearer_auth(token).json(body).send().await.expect("POST")
}

/// Asserts `response` is a problem (RFC 9457) with `status` whose reference is the request's
/// reference code, and answers its body.
async fn problem(app: &TestApp, response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "[{}] {}", app.label, response.url());
    let content_type = common::header_value(&response, "content-type").unwrap_or_default();
    assert_eq!(content_type, "application/problem+json", "[{}]", app.label);
    let reference = common::header_value(&response, "x-request-id").expect("a reference code");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16(), "[{}] {body}", app.label);
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string(), "{body}");
    assert_eq!(body["reference"], reference, "[{}] the reference is the request's", app.label);
    body
}

fn registration(user_type: &str, fields: &app::testing::Fields) -> Value {
    let mut body = serde_json::Map::new();
    body.insert("user_type".into(), json!(user_type));
    for (k, v) in fields {
        body.insert(k.clone(), json!(v));
    }
    Value::Object(body)
}

// covers: API-1, SEC-4, SEC-7
#[tokio::test]
async fn client_credentials_get_a_bearer_token_and_wrong_or_inactive_ones_get_401() {
    for_each_app(|app| async move {
        let label = app.label;
        let (id, secret) = integration_user(&app.state, "cpq-prod", &all_scopes(), &[]).await;
        let response = token_response(&app, "cpq-prod", &secret, "client_credentials").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        assert_eq!(common::header_value(&response, "cache-control").as_deref(), Some("no-store"), "[{label}]");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer", "[{label}]");
        assert_eq!(body["expires_in"], 900, "[{label}]");
        let bearer = body["access_token"].as_str().unwrap().to_owned();
        assert_eq!(bearer.len(), 43, "[{label}] 256 bits");
        assert_eq!(get(&app, &bearer, "/api/v1/users").await.status(), StatusCode::OK, "[{label}]");

        let wrong = token_response(&app, "cpq-prod", "not-the-secret", "client_credentials").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "[{label}]");
        let challenge = common::header_value(&wrong, "www-authenticate").unwrap_or_default();
        assert!(challenge.starts_with("Basic"), "[{label}] {challenge}");
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["error"], "invalid_client", "[{label}] RFC 6749 §5.2");
        assert!(body["reference"].is_string() && body["status"] == 401, "[{label}] and the problem's members");
        let failures = one(
            &app.state,
            "SELECT failures || '' FROM sign_in_failures WHERE lower_username = 'client:cpq-prod'",
            &[],
        )
        .await;
        assert_eq!(failures, "1", "[{label}] counted by SEC-4");

        let unsupported = token_response(&app, "cpq-prod", &secret, "password").await;
        assert_eq!(unsupported.status(), StatusCode::BAD_REQUEST, "[{label}]");
        assert_eq!(unsupported.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");
        let missing = api().post(app.url("/api/v1/token")).basic_auth("cpq-prod", Some(&secret)).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST, "[{label}]");
        assert_eq!(missing.json::<Value>().await.unwrap()["error"], "invalid_request");
        let no_basic =
            api().post(app.url("/api/v1/token")).form(&[("grant_type", "client_credentials")]).send().await.unwrap();
        assert_eq!(no_basic.status(), StatusCode::UNAUTHORIZED, "[{label}]");

        // CON-4: inactivated in the console, the earlier token is refused at once.
        let admin = app::testing::console_admin(&app.state).await;
        app::backend::services::integrations::set_status(&app.state, &admin, &id, app::domain::RecordStatus::Inactive)
            .await
            .unwrap();
        let refused = get(&app, &bearer, "/api/v1/users").await;
        let challenge = common::header_value(&refused, "www-authenticate").unwrap_or_default();
        assert!(challenge.contains("invalid_token"), "[{label}] {challenge}");
        problem(&app, refused, StatusCode::UNAUTHORIZED).await;
        let inactive = token_response(&app, "cpq-prod", &secret, "client_credentials").await;
        assert_eq!(inactive.status(), StatusCode::UNAUTHORIZED, "[{label}] no new token either");
    })
    .await;
}

/// Every protected operation of the document, with a placeholder id.
fn protected_operations(document: &Value) -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        if path == "/token" || path == "/openapi.json" {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            operations.push((
                method.to_uppercase(),
                format!("/api/v1{}", path.replace("{id}", "00000000-0000-7000-8000-000000000000")),
            ));
        }
    }
    operations
}

// covers: API-1, SEC-5, SEC-3
#[tokio::test]
async fn without_a_token_every_route_answers_401_and_a_customer_session_gets_nothing() {
    for_each_app(|app| async move {
        let label = app.label;
        company(&app.state, "Acme Tools", "pat.owner").await;
        let signed_in = app.sign_in("pat.owner", GOOD_PASSWORD).await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "[{label}] the customer signs in");
        let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
        let operations = protected_operations(&document);
        assert!(operations.len() >= 8, "[{label}] {operations:?}");
        let users_before = app.count("users").await;
        for (method, path) in operations {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            // The customer's browser: its session cookie and this site's Origin.
            let with_cookie = app
                .client
                .request(method.clone(), app.url(&path))
                .header(header::ORIGIN, app.origin())
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let body = problem(&app, with_cookie, StatusCode::UNAUTHORIZED).await;
            assert_eq!(body["type"], "/api/v1/problems/unauthorized", "[{label}] {method} {path}");
            let anonymous = api().request(method.clone(), app.url(&path)).json(&json!({})).send().await.unwrap();
            let challenge = common::header_value(&anonymous, "www-authenticate").unwrap_or_default();
            assert!(challenge.starts_with("Bearer"), "[{label}] {method} {path}: {challenge}");
            problem(&app, anonymous, StatusCode::UNAUTHORIZED).await;
            let garbage = api().request(method, app.url(&path)).bearer_auth("forged").send().await.unwrap();
            problem(&app, garbage, StatusCode::UNAUTHORIZED).await;
        }
        assert_eq!(app.count("users").await, users_before, "[{label}] nothing written");
    })
    .await;
}

// covers: API-2, API-3, API-5
#[tokio::test]
async fn scopes_answer_403_and_another_organizations_ids_404_as_unknown_ones() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let globex = company(&app.state, "Globex", "gil.owner").await;
        let (_, secret) =
            integration_user(&app.state, "acme-cpq", &[ApiScope::UsersRead, ApiScope::OrganizationsRead], &[&acme.org])
                .await;
        let bearer = token(&app, "acme-cpq", &secret).await;
        let body = problem(&app, get(&app, &bearer, "/api/v1/approvals").await, StatusCode::FORBIDDEN).await;
        assert_eq!(body["type"], "/api/v1/problems/forbidden", "[{label}]");
        let posted = post(&app, &bearer, "/api/v1/registrations", &json!({"user_type": "individual"})).await;
        problem(&app, posted, StatusCode::FORBIDDEN).await;

        let own: Value = get(&app, &bearer, &format!("/api/v1/organizations/{}", acme.org)).await.json().await.unwrap();
        assert_eq!(own["registry_id"], acme.registry_id.as_str(), "[{label}]");
        let other = get(&app, &bearer, &format!("/api/v1/organizations/{}", globex.org)).await;
        let other = problem(&app, other, StatusCode::NOT_FOUND).await;
        let unknown = get(&app, &bearer, "/api/v1/organizations/no-such-id").await;
        let unknown = problem(&app, unknown, StatusCode::NOT_FOUND).await;
        assert_eq!(other["detail"], unknown["detail"], "[{label}] the same answer as an unknown id");
        problem(&app, get(&app, &bearer, &format!("/api/v1/users/{}", globex.primary)).await, StatusCode::NOT_FOUND)
            .await;
        let user: Value = get(&app, &bearer, &format!("/api/v1/users/{}", acme.primary)).await.json().await.unwrap();
        assert_eq!(user["username"], "pat.owner", "[{label}]");
        assert_eq!(user["organization_id"], acme.org.as_str(), "[{label}]");
        let listed: Value = get(&app, &bearer, "/api/v1/users?username=GIL.OWNER").await.json().await.unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 0, "[{label}] not listed either");

        let bad = get(&app, &bearer, "/api/v1/users?status=sleeping").await;
        let bad = problem(&app, bad, StatusCode::BAD_REQUEST).await;
        assert_eq!(bad["errors"][0]["field"], "status", "[{label}]");
        let bad = problem(&app, get(&app, &bearer, "/api/v1/users?limit=many").await, StatusCode::BAD_REQUEST).await;
        assert_eq!(bad["errors"][0]["field"], "query", "[{label}]");
        problem(&app, get(&app, &bearer, "/api/v1/nothing-here").await, StatusCode::NOT_FOUND).await;
        let wrong_method = api().delete(app.url("/api/v1/organizations")).bearer_auth(&bearer).send().await.unwrap();
        problem(&app, wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
    })
    .await;
}

// covers: API-4
#[tokio::test]
async fn lists_are_paged_by_an_opaque_cursor_with_a_bounded_limit() {
    for_each_app(|app| async move {
        let label = app.label;
        for (name, user) in [("Acme Tools", "pat.owner"), ("Globex", "gil.owner"), ("Initech", "ian.owner")] {
            company(&app.state, name, user).await;
        }
        let (_, secret) = integration_user(&app.state, "cpq", &all_scopes(), &[]).await;
        let bearer = token(&app, "cpq", &secret).await;
        let mut seen = Vec::new();
        let mut next = "/api/v1/organizations?limit=2".to_owned();
        loop {
            let page: Value = get(&app, &bearer, &next).await.json().await.unwrap();
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 2, "[{label}]");
            seen.extend(items.iter().map(|o| o["name"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    assert!(!cursor.contains('-'), "[{label}] opaque: {cursor}");
                    next = format!("/api/v1/organizations?limit=2&cursor={cursor}");
                }
                None => break,
            }
        }
        seen.sort();
        assert_eq!(seen, ["Acme Tools", "Globex", "Initech"], "[{label}] every organization once");
        let page: Value = get(&app, &bearer, "/api/v1/users?limit=1000").await.json().await.unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 3, "[{label}] a large limit is capped, not refused");
        assert!(page["next_cursor"].is_null(), "[{label}]");
        let bad = get(&app, &bearer, "/api/v1/users?cursor=not-ours%21").await;
        let bad = problem(&app, bad, StatusCode::BAD_REQUEST).await;
        assert_eq!(bad["errors"][0]["field"], "cursor", "[{label}]");
    })
    .await;
}

// covers: API-3, SEC-5 (issue 11: a NUL escaped in JSON would reach PostgreSQL, which refuses it
// with an error: a 500. It is refused first, like a NUL in a form.)
#[tokio::test]
async fn a_json_body_escaping_a_nul_is_refused_400_and_changes_nothing() {
    for_each_app(|app| async move {
        let label = app.label;
        let (_, secret) = integration_user(&app.state, "cpq", &[ApiScope::RegistrationsWrite], &[]).await;
        let bearer = token(&app, "cpq", &secret).await;
        let users = app.count("users").await;
        let mut fields = person("ann.lee", "Ann");
        fields.insert("last_name".into(), "Lee\u{0}".into());
        let body = serde_json::to_string(&registration("individual", &fields)).unwrap();
        assert!(body.contains("\\u0000"), "serde_json escapes the NUL: {body}");
        let refused = api()
            .post(app.url("/api/v1/registrations"))
            .bearer_auth(&bearer)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "[{label}]");
        assert_eq!(app.count("users").await, users, "[{label}] nothing written");

        // A backslash followed by the text "u0000" is no NUL: the usual answer (here a 422, the
        // name's characters).
        fields.insert("last_name".into(), "Lee\\u0000".into());
        let answer = post(&app, &bearer, "/api/v1/registrations", &registration("individual", &fields)).await;
        assert_ne!(answer.status(), StatusCode::BAD_REQUEST, "[{label}]");
        assert!(answer.status().as_u16() < 500, "[{label}] {}", answer.status());
    })
    .await;
}

// covers: API-3, API-5, API-6, REG-14, CON-5
#[tokio::test]
async fn a_registration_answers_201_or_422_with_field_errors_and_an_idempotency_key_repeats_the_first_answer() {
    for_each_app(|app| async move {
        let label = app.label;
        let (integration_id, secret) =
            integration_user(&app.state, "cpq", &[ApiScope::RegistrationsWrite, ApiScope::UsersRead], &[]).await;
        let bearer = token(&app, "cpq", &secret).await;
        let users = app.count("users").await;
        let mut fields = person("ann.lee", "Ann");
        fields.insert("password_confirm".into(), "something else entirely".into());
        fields.remove("last_name");
        let bad = post(&app, &bearer, "/api/v1/registrations", &registration("individual", &fields)).await;
        let bad = problem(&app, bad, StatusCode::UNPROCESSABLE_ENTITY).await;
        let errors: Vec<&str> =
            bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(errors.contains(&"last_name") && errors.contains(&"password_confirm"), "[{label}] {errors:?}");
        assert!(bad["errors"][0]["message"].is_string(), "[{label}]");
        assert_eq!(app.count("users").await, users, "[{label}] nothing written");

        let good = registration("individual", &person("ann.lee", "Ann"));
        let send = |body: Value, key: &'static str| {
            let (app_url, bearer) = (app.url("/api/v1/registrations"), bearer.clone());
            async move {
                api().post(app_url).bearer_auth(bearer).header("Idempotency-Key", key).json(&body).send().await.unwrap()
            }
        };
        let first = send(good.clone(), "reg-ann-1").await;
        assert_eq!(first.status(), StatusCode::CREATED, "[{label}]");
        let location = common::header_value(&first, "location").unwrap_or_default();
        let created: Value = first.json().await.unwrap();
        assert_eq!(created["status"], "approved", "[{label}] individuals need no approval by default");
        let user_id = created["user_id"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/users/{user_id}"), "[{label}]");
        let users_after = app.count("users").await;
        assert_eq!(users_after, users + 1, "[{label}]");

        let again = send(good.clone(), "reg-ann-1").await;
        assert_eq!(again.status(), StatusCode::CREATED, "[{label}] the first answer again");
        assert_eq!(common::header_value(&again, "idempotent-replayed").as_deref(), Some("true"), "[{label}]");
        assert_eq!(again.json::<Value>().await.unwrap(), created, "[{label}]");
        assert_eq!(app.count("users").await, users_after, "[{label}] nothing changed again");
        let other = send(registration("individual", &person("bob.lee", "Bob")), "reg-ann-1").await;
        let other = problem(&app, other, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(other["type"], "/api/v1/problems/idempotency-key-reused", "[{label}]");
        assert_eq!(app.count("users").await, users_after, "[{label}]");
        // Without a key a repeat is a new request: the username is taken now.
        let repeat = post(&app, &bearer, "/api/v1/registrations", &good).await;
        let repeat = problem(&app, repeat, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(repeat["errors"][0]["field"], "username", "[{label}]");
        assert_eq!(repeat["errors"][0]["message"], "Username already used", "[{label}]");

        let actors = strings(
            &app.state,
            "SELECT COALESCE(actor_integration_id, '-') FROM audit_log WHERE subject_id = $1",
            &[&user_id],
        )
        .await;
        assert_eq!(actors, [integration_id], "[{label}] audited with the integration user as actor");
        let read: Value = get(&app, &bearer, &location).await.json().await.unwrap();
        assert_eq!(read["username"], "ann.lee", "[{label}]");
    })
    .await;
}

// covers: API-3, API-6, APR-8, APR-9, CON-5
#[tokio::test]
async fn an_integration_lists_pending_approvals_approves_and_rejects_and_a_decided_request_is_409() {
    for_each_app(|app| async move {
        let label = app.label;
        needs_universal_approval(&app.state, "company_primary").await;
        let (acme, acme_request) = pending_company(&app.state, "Acme Tools", "pat.owner").await;
        let (_, globex_request) = pending_company(&app.state, "Globex", "gil.owner").await;
        let (id, secret) =
            integration_user(&app.state, "cpq", &[ApiScope::ApprovalsRead, ApiScope::ApprovalsWrite], &[]).await;
        let bearer = token(&app, "cpq", &secret).await;
        let queue: Value = get(&app, &bearer, "/api/v1/approvals").await.json().await.unwrap();
        let ids: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [acme_request.as_str(), globex_request.as_str()], "[{label}] oldest first");
        assert_eq!(queue["items"][0]["company"], "Acme Tools", "[{label}]");
        assert_eq!(queue["items"][0]["step"], 1, "[{label}]");

        let long = "x".repeat(2001);
        let invalid = post(&app, &bearer, &format!("/api/v1/approvals/{acme_request}/approve"), &json!({"comment": long})).await;
        let invalid = problem(&app, invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(invalid["errors"][0]["field"], "comment", "[{label}] the API's field name");

        let approved = post(&app, &bearer, &format!("/api/v1/approvals/{acme_request}/approve"), &json!({"comment": "Welcome"})).await;
        assert_eq!(approved.status(), StatusCode::OK, "[{label}]");
        assert_eq!(approved.json::<Value>().await.unwrap()["status"], "approved", "[{label}]");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&acme.primary]).await, "active");
        let again = post(&app, &bearer, &format!("/api/v1/approvals/{acme_request}/reject"), &json!({})).await;
        problem(&app, again, StatusCode::CONFLICT).await;
        let rejected = api()
            .post(app.url(&format!("/api/v1/approvals/{globex_request}/reject")))
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(rejected.status(), StatusCode::OK, "[{label}] an empty body is an empty comment");
        problem(&app, post(&app, &bearer, "/api/v1/approvals/no-such-request/approve", &json!({})).await, StatusCode::NOT_FOUND)
            .await;
        let queue: Value = get(&app, &bearer, "/api/v1/approvals").await.json().await.unwrap();
        assert_eq!(queue["items"].as_array().unwrap().len(), 0, "[{label}] the queue is empty");
        for request in [&acme_request, &globex_request] {
            let actors = strings(
                &app.state,
                "SELECT COALESCE(actor_integration_id, '-') FROM audit_log WHERE subject_id = $1 AND action LIKE 'request.%'",
                &[request],
            )
            .await;
            assert_eq!(actors, std::slice::from_ref(&id), "[{label}] every decision audited with the integration user as actor");
        }
    })
    .await;
}

// covers: API-6, API-5
#[tokio::test]
async fn each_client_has_a_request_budget_answered_with_429_and_retry_after() {
    for db in app::testing::test_databases().await {
        let app = spawn_app_with(db, |config| config.api_requests_per_minute = 3).await;
        let label = app.label;
        let (_, secret) = integration_user(&app.state, "cpq", &all_scopes(), &[]).await;
        let (_, other_secret) = integration_user(&app.state, "erp", &all_scopes(), &[]).await;
        let bearer = token(&app, "cpq", &secret).await;
        for _ in 0..3 {
            assert_eq!(get(&app, &bearer, "/api/v1/users").await.status(), StatusCode::OK, "[{label}]");
        }
        let limited = get(&app, &bearer, "/api/v1/users").await;
        let retry_after = common::header_value(&limited, "retry-after").unwrap_or_default();
        assert!(retry_after.parse::<u64>().is_ok_and(|s| (1..=60).contains(&s)), "[{label}] {retry_after}");
        let body = problem(&app, limited, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(body["type"], "/api/v1/problems/rate-limited", "[{label}]");
        let other = token(&app, "erp", &other_secret).await;
        assert_eq!(get(&app, &other, "/api/v1/users").await.status(), StatusCode::OK, "[{label}] per client");
    }
}

// covers: API-2, API-3, API-5, API-6, CON-3, CON-5
#[tokio::test]
async fn users_write_creates_a_bare_user_disables_enables_and_deletes_within_the_sales_groups() {
    for_each_app(|app| async move {
        let label = app.label;
        let acme = company(&app.state, "Acme Tools", "pat.owner").await;
        let globex = company(&app.state, "Globex", "gil.owner").await;
        let (id, secret) =
            integration_user(&app.state, "acme-crm", &[ApiScope::UsersRead, ApiScope::UsersWrite], &[&acme.org]).await;
        let bearer = token(&app, "acme-crm", &secret).await;
        let (_, reader_secret) = integration_user(&app.state, "reader", &[ApiScope::UsersRead], &[]).await;
        let reader = token(&app, "reader", &reader_secret).await;

        let bare = json!({"first_name": "Rita", "last_name": "Moreno", "email": "rita@example.com", "username": "rita.m"});
        problem(&app, post(&app, &reader, "/api/v1/users", &bare).await, StatusCode::FORBIDDEN).await;
        let bad = post(&app, &bearer, "/api/v1/users", &json!({"first_name": "Rita"})).await;
        let bad = problem(&app, bad, StatusCode::UNPROCESSABLE_ENTITY).await;
        let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"username") && fields.contains(&"email"), "[{label}] {fields:?}");
        let created = post(&app, &bearer, "/api/v1/users", &bare).await;
        assert_eq!(created.status(), StatusCode::CREATED, "[{label}]");
        let rita = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

        // Another organization's user: not found, whatever the call.
        let other = post(&app, &bearer, &format!("/api/v1/users/{}/disable", globex.primary), &json!({"justification": "x"})).await;
        problem(&app, other, StatusCode::NOT_FOUND).await;

        let disable = json!({"effective_date": "", "justification": "Left the company"});
        let disabled = post(&app, &bearer, &format!("/api/v1/users/{}/disable", acme.primary), &disable).await;
        assert_eq!(disabled.status(), StatusCode::OK, "[{label}]");
        assert_eq!(disabled.json::<Value>().await.unwrap()["status"], "inactive", "[{label}]");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&acme.primary]).await, "inactive");
        let again = post(&app, &bearer, &format!("/api/v1/users/{}/disable", acme.primary), &disable).await;
        problem(&app, again, StatusCode::CONFLICT).await;
        let enabled = post(&app, &bearer, &format!("/api/v1/users/{}/enable", acme.primary), &json!({})).await;
        assert_eq!(enabled.status(), StatusCode::OK, "[{label}]");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&acme.primary]).await, "active");

        let no_reason = api().delete(app.url(&format!("/api/v1/users/{rita}"))).bearer_auth(&bearer).send().await.unwrap();
        problem(&app, no_reason, StatusCode::UNPROCESSABLE_ENTITY).await;
        let deleted = api()
            .delete(app.url(&format!("/api/v1/users/{rita}?justification=Duplicate")))
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::OK, "[{label}]");
        assert_eq!(one(&app.state, "SELECT status FROM users WHERE id = $1", &[&rita]).await, "deleted");

        for subject in [&rita, &acme.primary] {
            let actors = strings(
                &app.state,
                "SELECT DISTINCT COALESCE(actor_integration_id, '-') FROM audit_log WHERE subject_id = $1 AND action LIKE 'user.%'",
                &[subject],
            )
            .await;
            assert_eq!(actors, std::slice::from_ref(&id), "[{label}] audited with the integration user as actor");
        }
    })
    .await;
}
