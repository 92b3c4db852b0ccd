//! Integration users (CON-4) and the use cases behind the JSON API (API-1 … API-6): a secret
//! stored only as argon2id and never audited, tokens that end when the integration user is
//! inactivated or after 15 minutes, wrong secrets counted by SEC-4, scopes and sales groups
//! limiting every read, registrations and decisions through the pages' use cases audited with
//! the integration user as actor, idempotency keys. SQLite and PostgreSQL.

use app::backend::authz::integration;
use app::backend::error::ServiceError;
use app::backend::services::approvals::{approve, pending_after, reject, Approved};
use app::backend::services::integration_api::{self, issue_token};
use app::backend::services::integrations::{create, list, new_secret, set_status, update};
use app::backend::store::directory::UserFilter;
use app::backend::store::idempotency::Claim;
use app::backend::{AppState, TestClock};
use app::domain::integration::{ApiScope, IntegrationForm, CLIENT_ID_TAKEN};
use app::domain::{RecordStatus, RegistrationForm, UserStatus};
use app::testing::{
    all_scopes, api_token, company, console_admin, count_rows, for_each_database, integration_user, migrated_state,
    needs_universal_approval, one, pending_company, person, staff, strings, T0,
};

fn form(client_id: &str, scopes: &[&str], organizations: &[&str]) -> IntegrationForm {
    IntegrationForm {
        client_id: client_id.into(),
        name: "CPQ".into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organizations: organizations.iter().map(|o| (*o).to_owned()).collect(),
    }
}

async fn integration_counts(state: &AppState) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["integration_users", "integration_user_groups", "audit_log", "api_tokens"] {
        counts.push(count_rows(&state.db, table).await);
    }
    counts
}

/// The audit rows naming `subject`: (action, actor user, actor integration).
async fn audit_of(state: &AppState, subject: &str) -> Vec<(String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT action, actor_user_id, actor_integration_id FROM audit_log WHERE subject_id = $1 ORDER BY at, action",
    )
    .bind(subject)
    .fetch_all(state.db.pool())
    .await
    .expect("audit rows")
}

fn registration(fields: &[(&str, &str)]) -> RegistrationForm {
    let body = serde_html_form::to_string(fields).unwrap();
    serde_html_form::from_str(&body).unwrap()
}

// covers: CON-4, CON-5, SEC-7
#[tokio::test]
async fn an_integration_user_gets_a_generated_secret_stored_as_argon2id_and_never_audited() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let admin = console_admin(&state).await;
        let (client_id, access) =
            form("cpq-prod", &["approvals:read", "users:read"], &[&acme.org]).validate_new().unwrap();
        let (id, secret) = create(&state, &admin, &client_id, &access).await.expect("created");
        assert_eq!(secret.expose().len(), 43, "[{label}] 256 bits as base64url");
        assert!(!format!("{secret:?}").contains(secret.expose()), "[{label}] Debug hides the secret");
        let hash = one(&state, "SELECT secret_hash FROM integration_users WHERE id = $1", &[&id]).await;
        assert!(hash.starts_with("$argon2id$"), "[{label}] {hash}");
        let audit =
            strings(&state, "SELECT COALESCE(after_value, '') FROM audit_log WHERE subject_id = $1", &[&id]).await;
        assert_eq!(audit.len(), 1, "[{label}]");
        assert!(audit[0].contains("cpq-prod") && audit[0].contains("approvals:read"), "[{label}] {}", audit[0]);
        assert!(!audit[0].contains(secret.expose()) && !audit[0].contains(&hash), "[{label}] no secret audited");
        assert_eq!(
            audit_of(&state, &id).await,
            [("integration.created".to_owned(), Some(admin.user_id().to_owned()), None)],
            "[{label}] the admin is the actor"
        );
        let (rows, more) = list(&state, &admin, None).await.unwrap();
        assert!(!more && rows.len() == 1 && rows[0].scopes == 2 && rows[0].organizations == 1, "[{label}] {rows:?}");

        let before = integration_counts(&state).await;
        let (taken, access) = form("cpq-prod", &[], &[]).validate_new().unwrap();
        match create(&state, &admin, &taken, &access).await {
            Err(ServiceError::Validation(errors)) => {
                assert_eq!(errors[0].field, "client_id");
                assert_eq!(errors[0].message, CLIENT_ID_TAKEN);
            }
            other => panic!("[{label}] {other:?}"),
        }
        let (fresh, forged) = form("erp", &[], &["no-such-organization"]).validate_new().unwrap();
        match create(&state, &admin, &fresh, &forged).await {
            Err(ServiceError::Validation(errors)) => assert_eq!(errors[0].field, "organizations", "[{label}]"),
            other => panic!("[{label}] {other:?}"),
        }
        assert_eq!(integration_counts(&state).await, before, "[{label}] nothing written");
    })
    .await;
}

// covers: API-1, CON-4, CON-5
#[tokio::test]
async fn a_token_works_for_15_minutes_and_stops_at_once_when_the_integration_user_is_inactivated() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let (id, secret) = integration_user(&state, "cpq", &all_scopes(), &[]).await;
        let token = issue_token(&state, "cpq", &secret).await.expect("a token");
        assert_eq!(token.expires_in_seconds, 900, "[{label}]");
        let stored = one(&state, "SELECT token_hash FROM api_tokens", &[]).await;
        assert_ne!(stored, token.token, "[{label}] only the hash is stored");
        assert_eq!(integration(&state, &token.token).await.expect("valid").id(), id, "[{label}]");

        for (client, wrong) in [("cpq", "not-the-secret"), ("nobody", secret.as_str())] {
            assert!(matches!(issue_token(&state, client, wrong).await, Err(ServiceError::SignInFailed)), "[{label}]");
        }

        let admin = console_admin(&state).await;
        set_status(&state, &admin, &id, RecordStatus::Inactive).await.unwrap();
        assert!(
            matches!(integration(&state, &token.token).await, Err(ServiceError::Unauthenticated)),
            "[{label}] the earlier token stops at once"
        );
        assert!(
            matches!(issue_token(&state, "cpq", &secret).await, Err(ServiceError::SignInFailed)),
            "[{label}] an inactive integration user gets no token"
        );
        set_status(&state, &admin, &id, RecordStatus::Active).await.unwrap();
        set_status(&state, &admin, &id, RecordStatus::Active).await.unwrap();
        let actions: Vec<String> = audit_of(&state, &id).await.into_iter().map(|(a, _, _)| a).collect();
        assert_eq!(
            actions,
            ["integration.activated", "integration.created", "integration.inactivated"],
            "[{label}] a status it already had changes nothing (one row each, by action)"
        );

        let token = api_token(&state, "cpq", &secret).await;
        clock.advance_ms(15 * 60_000 - 1);
        assert!(integration(&state, &token).await.is_ok(), "[{label}] still within 15 minutes");
        clock.advance_ms(1);
        assert!(matches!(integration(&state, &token).await, Err(ServiceError::Unauthenticated)), "[{label}] expired");

        let token = api_token(&state, "cpq", &secret).await;
        let replaced = new_secret(&state, &admin, &id).await.unwrap();
        assert!(integration(&state, &token).await.is_err(), "[{label}] a new secret ends the old tokens");
        assert!(issue_token(&state, "cpq", &secret).await.is_err(), "[{label}] the old secret is refused");
        assert!(issue_token(&state, "cpq", replaced.expose()).await.is_ok(), "[{label}] the new one works");
        let audited =
            strings(&state, "SELECT COALESCE(after_value, '') FROM audit_log WHERE subject_id = $1", &[&id]).await;
        assert!(audited.iter().all(|a| !a.contains(replaced.expose())), "[{label}] never the secret");
    })
    .await;
}

// covers: API-1, SEC-4
#[tokio::test]
async fn wrong_client_secrets_are_counted_and_lock_the_client_whether_or_not_it_exists() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let (_, secret) = integration_user(&state, "cpq", &all_scopes(), &[]).await;
        for client in ["ghost-client", "cpq"] {
            let mut locked = false;
            for _ in 0..40 {
                clock.advance_ms(65_000);
                match issue_token(&state, client, "wrong").await {
                    Err(ServiceError::SignInFailed) => {}
                    Err(ServiceError::Locked) => {
                        locked = true;
                        break;
                    }
                    other => panic!("[{label}] {other:?}"),
                }
            }
            assert!(locked, "[{label}] {client} is locked after repeated failures");
        }
        assert!(
            matches!(issue_token(&state, "cpq", &secret).await, Err(ServiceError::Locked)),
            "[{label}] even the right secret waits for the lock to end"
        );
        clock.advance_ms(16 * 60_000);
        assert!(issue_token(&state, "cpq", &secret).await.is_ok(), "[{label}] the lock ends");
    })
    .await;
}

// covers: API-2, API-3, API-4
#[tokio::test]
async fn scopes_and_sales_groups_limit_what_an_integration_user_reads() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "gil.owner").await;
        let (acme_staff, _) = staff(&state, &acme, "ann.lee").await;
        let (globex_staff, _) = staff(&state, &globex, "bob.lee").await;
        let (_, secret) =
            integration_user(&state, "acme-only", &[ApiScope::UsersRead, ApiScope::OrganizationsRead], &[&acme.org])
                .await;
        let limited = integration(&state, &api_token(&state, "acme-only", &secret).await).await.unwrap();
        let (_, secret) = integration_user(&state, "everything", &[ApiScope::ApprovalsRead], &[]).await;
        let unscoped = integration(&state, &api_token(&state, "everything", &secret).await).await.unwrap();

        let all = UserFilter::default();
        let (users, _) = integration_api::users(&state, &limited, &all, None, 50).await.unwrap();
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        assert!(ids.contains(&acme_staff.as_str()) && ids.contains(&acme.primary.as_str()), "[{label}] {ids:?}");
        assert!(!ids.contains(&globex_staff.as_str()), "[{label}] another organization's users are not listed");
        assert!(
            matches!(integration_api::user(&state, &limited, &globex_staff).await, Err(ServiceError::NotFound)),
            "[{label}] another organization's user is not found"
        );
        assert_eq!(integration_api::user(&state, &limited, &acme_staff).await.unwrap().username, "ann.lee");
        assert!(
            matches!(integration_api::users(&state, &unscoped, &all, None, 50).await, Err(ServiceError::Forbidden)),
            "[{label}] out of scope"
        );
        let (orgs, _) = integration_api::organizations(&state, &limited, None, None, 50).await.unwrap();
        assert_eq!(orgs.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), [acme.org.as_str()], "[{label}]");
        assert!(matches!(
            integration_api::organization(&state, &limited, &globex.org).await,
            Err(ServiceError::NotFound)
        ));
        let by_registry =
            integration_api::organizations(&state, &limited, Some(&acme.registry_id.to_lowercase()), None, 50)
                .await
                .unwrap();
        assert_eq!(by_registry.0.len(), 1, "[{label}] the Registry ID matched in any case");

        let filter = UserFilter { username: Some("ANN.LEE".into()), ..Default::default() };
        let (found, _) = integration_api::users(&state, &limited, &filter, None, 50).await.unwrap();
        assert_eq!(found.len(), 1, "[{label}] by username, any case");
        let filter = UserFilter { email: Some("Ann.Lee@Example.com".into()), ..Default::default() };
        assert_eq!(integration_api::users(&state, &limited, &filter, None, 50).await.unwrap().0.len(), 1);
        let filter = UserFilter { status: Some(UserStatus::Pending), ..Default::default() };
        let (pending, _) = integration_api::users(&state, &limited, &filter, None, 50).await.unwrap();
        assert_eq!(pending.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), [acme_staff.as_str()], "[{label}]");

        // Pages of one walk the list by id, each after the last.
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (page, more) = integration_api::users(&state, &limited, &all, after.as_deref(), 1).await.unwrap();
            assert_eq!(page.len(), 1, "[{label}]");
            seen.push(page[0].id.clone());
            after = Some(page[0].id.clone());
            if !more {
                break;
            }
        }
        let mut sorted = ids.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        sorted.sort();
        assert_eq!(seen, sorted, "[{label}] every user once, in id order");
    })
    .await;
}

// covers: API-3, API-6, APR-8, APR-9, CON-5, REG-14
#[tokio::test]
async fn registrations_and_decisions_go_through_the_pages_use_cases_audited_as_the_integration_user() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        needs_universal_approval(&state, "company_primary").await;
        let (acme, acme_request) = pending_company(&state, "Acme Tools", "pat.owner").await;
        let (globex, globex_request) = pending_company(&state, "Globex", "gil.owner").await;
        let scopes = [ApiScope::RegistrationsWrite, ApiScope::ApprovalsRead, ApiScope::ApprovalsWrite];
        let (acme_id, secret) = integration_user(&state, "acme-cpq", &scopes, &[&acme.org]).await;
        let client = integration(&state, &api_token(&state, "acme-cpq", &secret).await).await.unwrap();

        let bad = registration(&[("first_name", "Ann"), ("username", "x")]);
        let before = count_rows(&state.db, "users").await;
        match integration_api::register(&state, &client, "individual", &bad).await {
            Err(ServiceError::Validation(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert!(fields.contains(&"last_name") && fields.contains(&"password"), "[{label}] {fields:?}");
            }
            other => panic!("[{label}] {other:?}"),
        }
        assert_eq!(count_rows(&state.db, "users").await, before, "[{label}] nothing written");
        assert!(matches!(
            integration_api::register(&state, &client, "no_such_type", &bad).await,
            Err(ServiceError::Validation(ref e)) if e[0].field == "user_type"
        ));
        let mut fields = person("ann.lee", "Ann");
        fields.insert("registry_id".into(), globex.registry_id.clone());
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert!(
            matches!(integration_api::register(&state, &client, "company_business", &registration(&pairs)).await,
                Err(ServiceError::Validation(ref e)) if e[0].field == "registry_id"),
            "[{label}] another organization's Registry ID reads as unknown"
        );
        let mut fields = person("ann.lee", "Ann");
        fields.insert("registry_id".into(), acme.registry_id.clone());
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let submitted = integration_api::register(&state, &client, "company_business", &registration(&pairs))
            .await
            .expect("registered through the API");
        assert!(submitted.registered.needs_approval, "[{label}]");
        assert_eq!(
            audit_of(&state, &submitted.registered.user_id).await,
            [("registration.submitted".to_owned(), None, Some(acme_id.clone()))],
            "[{label}] the integration user is the actor"
        );

        let reader = client.approver(ApiScope::ApprovalsRead).unwrap();
        let queue: Vec<String> =
            pending_after(&state, &reader, None, 50).await.unwrap().into_iter().map(|r| r.id).collect();
        let ann_request = submitted.request_id.clone().unwrap();
        assert!(queue.contains(&acme_request) && queue.contains(&ann_request), "[{label}] merchant-wide (APR-8)");
        assert!(!queue.contains(&globex_request), "[{label}] only its sales groups' requests");
        let first = pending_after(&state, &reader, None, 1).await.unwrap();
        let key = (first[0].submitted_at, first[0].id.as_str());
        let second = pending_after(&state, &reader, Some(key), 50).await.unwrap();
        assert_eq!(second.len(), queue.len() - 1, "[{label}] keyset pages continue after the last one");
        assert!(matches!(client.approver(ApiScope::UsersWrite), Err(ServiceError::Forbidden)));

        let decider = client.approver(ApiScope::ApprovalsWrite).unwrap();
        assert!(
            matches!(approve(&state, &decider, &globex_request, "", &[]).await, Err(ServiceError::NotFound)),
            "[{label}] outside the sales groups: not found"
        );
        let outcome = approve(&state, &decider, &acme_request, "Welcome", &[]).await.expect("approved");
        assert!(matches!(outcome, Approved::Final { .. }), "[{label}]");
        assert_eq!(
            one(&state, "SELECT status FROM users WHERE id = $1", &[&acme.primary]).await,
            "active",
            "[{label}] the final approval enabled Pat"
        );
        assert_eq!(
            audit_of(&state, &acme_request).await,
            [("request.approved".to_owned(), None, Some(acme_id.clone()))],
            "[{label}] the decision is audited as the integration user"
        );
        assert!(
            matches!(reject(&state, &decider, &acme_request, "").await, Err(ServiceError::Conflict(_))),
            "[{label}] a decided request is a conflict"
        );
        let (_, rita_request) = staff(&state, &acme, "rita.m").await;
        reject(&state, &decider, &rita_request, "Not ours").await.expect("rejected");
        assert_eq!(
            audit_of(&state, &rita_request).await,
            [("request.rejected".to_owned(), None, Some(acme_id.clone()))],
            "[{label}]"
        );
        let queue_after = pending_after(&state, &reader, None, 50).await.unwrap();
        assert!(queue_after.iter().all(|r| r.id != acme_request), "[{label}] decided requests leave the queue");
        let decided_by = strings(
            &state,
            "SELECT COALESCE(decided_by, '-') FROM request_decisions WHERE request_id = $1",
            &[&acme_request],
        )
        .await;
        assert_eq!(decided_by, ["-"], "[{label}] no user is named as deciding");
    })
    .await;
}

// covers: API-6
#[tokio::test]
async fn an_idempotency_key_is_claimed_once_answered_again_and_refused_for_another_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let (_, secret) = integration_user(&state, "cpq", &all_scopes(), &[]).await;
        let client = integration(&state, &api_token(&state, "cpq", &secret).await).await.unwrap();
        let (_, other_secret) = integration_user(&state, "erp", &all_scopes(), &[]).await;
        let other = integration(&state, &api_token(&state, "erp", &other_secret).await).await.unwrap();

        let claim = |who, hash: &'static str| {
            let state = state.clone();
            async move { integration_api::claim_idempotency_key(&state, who, "key-1", hash).await.unwrap() }
        };
        assert_eq!(claim(&client, "h1").await, Claim::Claimed, "[{label}]");
        match claim(&client, "h1").await {
            Claim::Used(stored) => assert_eq!(stored.status, None, "[{label}] still running"),
            other => panic!("[{label}] {other:?}"),
        }
        assert_eq!(claim(&other, "h1").await, Claim::Claimed, "[{label}] keys are per client");
        integration_api::complete_idempotency_key(
            &state,
            &client,
            "key-1",
            201,
            Some("application/json"),
            "{\"id\":1}",
        )
        .await
        .unwrap();
        match claim(&client, "h1").await {
            Claim::Used(stored) => {
                assert_eq!(stored.status, Some(201));
                assert_eq!(stored.response_body.as_deref(), Some("{\"id\":1}"));
            }
            other => panic!("[{label}] {other:?}"),
        }
        match claim(&client, "h2").await {
            Claim::Used(stored) => assert_ne!(stored.request_hash, "h2", "[{label}] another request"),
            other => panic!("[{label}] {other:?}"),
        }
        integration_api::release_idempotency_key(&state, &other, "key-1").await.unwrap();
        assert_eq!(claim(&other, "h3").await, Claim::Claimed, "[{label}] a released key runs again");
        clock.advance_ms(24 * 60 * 60_000);
        assert_eq!(claim(&client, "h2").await, Claim::Claimed, "[{label}] after 24 hours the key is new");
    })
    .await;
}

// covers: CON-4, CON-5, API-2
#[tokio::test]
async fn editing_an_integration_user_changes_its_scopes_and_sales_groups_with_before_and_after_audited() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (id, secret) = integration_user(&state, "cpq", &[ApiScope::UsersRead], &[]).await;
        let token = api_token(&state, "cpq", &secret).await;
        assert!(integration(&state, &token).await.unwrap().require(ApiScope::OrganizationsRead).is_err());
        let admin = console_admin(&state).await;
        let access = form("ignored", &["organizations:read"], &[&acme.org]).validate_access().unwrap();
        update(&state, &admin, &id, &access).await.unwrap();
        let client = integration(&state, &token).await.unwrap();
        assert!(client.require(ApiScope::OrganizationsRead).is_ok(), "[{label}] the next call has the new scopes");
        assert!(client.require(ApiScope::UsersRead).is_err(), "[{label}]");
        assert_eq!(client.client_id(), "cpq", "[{label}] the Client ID never changes");
        let (before, after): (String, String) = sqlx::query_as(
            "SELECT before_value, after_value FROM audit_log WHERE subject_id = $1 AND action = 'integration.updated'",
        )
        .bind(&id)
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert!(before.contains("users:read") && after.contains("organizations:read"), "[{label}] {before} {after}");
        assert!(after.contains(&acme.org), "[{label}]");
        assert!(matches!(update(&state, &admin, "nope", &access).await, Err(ServiceError::NotFound)));
    })
    .await;
}
