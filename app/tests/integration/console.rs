//! The merchant console's own areas (CON-1, CON-2 settings, CON-5, CON-6): user types take
//! effect on `/register` at once, settings are typed and audited, the audit log is searchable
//! and read only, a failed message can be retried; none of it for a customer (SEC-5). SQLite and
//! PostgreSQL.

use std::collections::BTreeMap;

use app::backend::authz::{caller, MerchantAdmin};
use app::backend::error::ServiceError;
use app::backend::services::console::{activity, settings, user_types};
use app::backend::services::registration::registrable_types;
use app::backend::settings::Settings;
use app::backend::store::audit::AuditFilter;
use app::backend::{AppState, TestClock};
use app::domain::settings_form::{SettingKind, SettingsForm, SETTINGS};
use app::domain::{message_for, UserTypeDefinition, UserTypeForm};
use app::testing::{
    colleague, company, company_fields, count_rows, exec, for_each_database, individual_fields, migrated_state, one,
    ready_merchant_admin, register_as, strings, PRIMARY_USER_ROLE, T0,
};

async fn console_admin(state: &AppState) -> MerchantAdmin {
    let id = ready_merchant_admin(state).await;
    caller(state, &id).await.unwrap().merchant_admin().expect("a merchant admin")
}

async fn registrable(state: &AppState) -> Vec<String> {
    registrable_types(state, None).await.unwrap().into_iter().map(|t| t.key).collect()
}

fn partner_form() -> UserTypeForm {
    UserTypeForm {
        key: "partner_primary".into(),
        long_name: "Register as a partner".into(),
        short_name: "Partner administrator".into(),
        group: "partner".into(),
        kind: "partner_admin".into(),
        roles: vec!["00000000-0000-7000-8000-000000000104".into()],
        active: true,
        self_service: true,
        sort_order: "40".into(),
        ..Default::default()
    }
}

fn valid(form: &UserTypeForm) -> UserTypeDefinition {
    form.validate().expect("a valid form")
}

// covers: CON-1, REG-1, CON-5
#[tokio::test]
async fn activating_a_type_offers_it_on_register_at_once_and_a_partner_registers() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        assert!(!registrable(&state).await.contains(&"partner_primary".to_owned()), "[{label}] seeded inactive");

        let stored = user_types::detail(&state, &admin, "partner_primary").await.unwrap();
        assert!(!stored.user_type.is_active, "[{label}]");
        let key = user_types::update(&state, &admin, "partner_primary", &valid(&partner_form())).await.unwrap();
        assert_eq!(key, "partner_primary");
        assert!(registrable(&state).await.contains(&"partner_primary".to_owned()), "[{label}] no restart, no cache");

        let partner = register_as(&state, "partner_primary", &company_fields("Northwind Partners", "nora.north"))
            .await
            .expect("a partner registers");
        let is_partner = one(
            &state,
            "SELECT CAST(is_partner AS TEXT) FROM organizations WHERE id = (SELECT organization_id FROM users WHERE id = $1)",
            &[&partner.user_id],
        )
        .await;
        assert_eq!(is_partner, "1", "[{label}] the kind decides the organization rules");

        let audit = one(&state, "SELECT after_value FROM audit_log WHERE action = 'user_type.updated'", &[]).await;
        assert!(audit.contains("\"active\":true"), "[{label}] {audit}");
        let before = one(&state, "SELECT before_value FROM audit_log WHERE action = 'user_type.updated'", &[]).await;
        assert!(before.contains("\"active\":false"), "[{label}] {before}");

        // Inactive again: gone from /register at once.
        let off = UserTypeForm { active: false, ..partner_form() };
        user_types::update(&state, &admin, "partner_primary", &valid(&off)).await.unwrap();
        assert!(!registrable(&state).await.contains(&"partner_primary".to_owned()), "[{label}]");
    })
    .await;
}

// covers: CON-1, REG-14
#[tokio::test]
async fn a_new_type_is_created_with_its_roles_and_a_taken_key_or_unknown_role_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let reseller = UserTypeForm {
            key: "reseller".into(),
            long_name: "Register as a reseller".into(),
            short_name: "Reseller".into(),
            group: "company".into(),
            kind: "company_admin".into(),
            roles: vec![PRIMARY_USER_ROLE.into()],
            active: true,
            self_service: true,
            ..Default::default()
        };
        user_types::create(&state, &admin, &valid(&reseller)).await.expect("created");
        let detail = user_types::detail(&state, &admin, "reseller").await.unwrap();
        assert_eq!(detail.role_ids, [PRIMARY_USER_ROLE], "[{label}]");
        assert!(registrable(&state).await.contains(&"reseller".to_owned()), "[{label}]");

        let before = (count_rows(&state.db, "user_types").await, count_rows(&state.db, "audit_log").await);
        let taken = UserTypeForm { key: "individual".into(), ..reseller.clone() };
        match user_types::create(&state, &admin, &valid(&taken)).await {
            Err(ServiceError::Validation(errors)) => {
                assert_eq!(message_for(&errors, "key"), Some("Another user type has this key"), "[{label}]");
            }
            other => panic!("[{label}] {other:?}"),
        }
        let renamed_onto_taken = user_types::update(&state, &admin, "reseller", &valid(&taken)).await;
        assert!(matches!(renamed_onto_taken, Err(ServiceError::Validation(_))), "[{label}]");
        let foreign_role = UserTypeForm { key: "other".into(), roles: vec!["no-such-role".into()], ..reseller.clone() };
        match user_types::create(&state, &admin, &valid(&foreign_role)).await {
            Err(ServiceError::Validation(errors)) => assert!(message_for(&errors, "roles").is_some(), "[{label}]"),
            other => panic!("[{label}] {other:?}"),
        }
        // A company's custom role is no merchant role: refused the same way.
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        exec(&state, "INSERT INTO roles (id, name, organization_id, is_seeded, created_at) VALUES ('custom-1', 'Desk', $1, 0, 0)", &[&acme.org]).await;
        let custom = UserTypeForm { key: "other".into(), roles: vec!["custom-1".into()], ..reseller };
        assert!(matches!(user_types::create(&state, &admin, &valid(&custom)).await, Err(ServiceError::Validation(_))));
        let after = (count_rows(&state.db, "user_types").await, count_rows(&state.db, "audit_log").await);
        assert_eq!(before.0, after.0, "[{label}] nothing written");
        assert_eq!(before.1 + 1, after.1, "[{label}] only the company's own registration was audited");
    })
    .await;
}

/// The settings form as the page posts it for `values`, with `pairs` typed over.
fn settings_form(pairs: &[(&str, &str)], values: &BTreeMap<String, String>) -> SettingsForm {
    let mut values = values.clone();
    for (k, v) in pairs {
        values.insert((*k).into(), (*v).into());
    }
    SettingsForm { values }
}

/// The values in force as the page posts them: a ticked checkbox posts `on`, an unticked none.
async fn current(state: &AppState, admin: &MerchantAdmin) -> BTreeMap<String, String> {
    let view = settings::view(state, admin).await.unwrap();
    SETTINGS
        .iter()
        .filter_map(|s| {
            let value = view.stored.get(s.key).cloned().unwrap_or_else(|| s.default.to_owned());
            match (s.kind, value.as_str()) {
                (SettingKind::Flag, "1") => Some((s.key.to_owned(), "on".to_owned())),
                (SettingKind::Flag, _) => None,
                _ => Some((s.key.to_owned(), value)),
            }
        })
        .collect()
}

// covers: CON-2, CON-5, ADM-8
#[tokio::test]
async fn settings_are_saved_typed_and_audited_and_read_by_the_next_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let values = current(&state, &admin).await;
        // The hot path's shared copy (issue 11) is read before the change…
        let mut conn = state.db.pool().acquire().await.unwrap();
        let cached = Settings::cached(state.db.settings_cache(), &mut conn).await.unwrap();
        assert_eq!(cached.password_min_length, 12, "[{label}]");
        drop(conn);

        // Unchanged form: nothing written.
        let same = settings_form(&[], &values).validate().unwrap();
        assert_eq!(settings::save(&state, &admin, &same).await.unwrap(), 0, "[{label}]");

        let mut changed = settings_form(&[("password_min_length", "14")], &values);
        changed.values.remove("primary_users_manage_users"); // the checkbox unticked
        let changed = changed.validate().unwrap();
        assert_eq!(settings::save(&state, &admin, &changed).await.unwrap(), 2, "[{label}]");
        let mut conn = state.db.pool().acquire().await.unwrap();
        let loaded = Settings::load(&mut conn).await.unwrap();
        assert_eq!(loaded.password_min_length, 14, "[{label}]");
        assert!(!loaded.primary_users_manage_users, "[{label}]");
        // …and the next request's read of it sees the change at once, not after its lifetime.
        let cached = Settings::cached(state.db.settings_cache(), &mut conn).await.unwrap();
        assert_eq!((cached.password_min_length, cached.primary_users_manage_users), (14, false), "[{label}]");
        drop(conn);
        let audited = strings(
            &state,
            "SELECT subject_id FROM audit_log WHERE action = 'setting.changed' ORDER BY subject_id",
            &[],
        )
        .await;
        assert_eq!(audited, ["password_min_length", "primary_users_manage_users"], "[{label}]");
        let before =
            one(&state, "SELECT before_value FROM audit_log WHERE subject_id = 'password_min_length'", &[]).await;
        assert_eq!(before, r#"{"value":"12"}"#, "[{label}] the default it replaced");

        // The universal approver must be an active merchant admin: a customer's id is refused.
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let rows = count_rows(&state.db, "settings").await;
        let bad = settings_form(&[("universal_approver", acme.primary.as_str())], &values).validate().unwrap();
        match settings::save(&state, &admin, &bad).await {
            Err(ServiceError::Validation(errors)) => assert!(message_for(&errors, "universal_approver").is_some()),
            other => panic!("[{label}] {other:?}"),
        }
        assert_eq!(count_rows(&state.db, "settings").await, rows, "[{label}] nothing written");
    })
    .await;
}

// covers: CON-5
#[tokio::test]
async fn the_audit_log_is_searched_by_action_subject_and_actor_and_paged_newest_first() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        for n in 0..5 {
            colleague(&state, &acme, &format!("staff.{n}"), None).await;
        }
        register_as(&state, "individual", &individual_fields("ann.lee")).await.unwrap();
        let everything = activity::audit_log(&state, &admin, &AuditFilter::default(), 500).await.unwrap();
        assert!(everything.len() >= 2, "[{label}]");
        assert!(everything.windows(2).all(|w| (w[0].at, &w[0].id) >= (w[1].at, &w[1].id)), "[{label}] newest first");

        let by_action = AuditFilter { action: Some("registration.".into()), ..Default::default() };
        let registrations = activity::audit_log(&state, &admin, &by_action, 500).await.unwrap();
        assert!(!registrations.is_empty() && registrations.iter().all(|r| r.action.starts_with("registration.")));
        let by_subject = AuditFilter { subject_id: Some(acme.primary.clone()), ..Default::default() };
        let of_pat = activity::audit_log(&state, &admin, &by_subject, 500).await.unwrap();
        assert!(!of_pat.is_empty() && of_pat.iter().all(|r| r.subject_id == acme.primary), "[{label}]");
        let by_actor = AuditFilter { actor: Some("PAT.OWNER".into()), ..Default::default() };
        let by_pat = activity::audit_log(&state, &admin, &by_actor, 500).await.unwrap();
        assert!(!by_pat.is_empty() && by_pat.iter().all(|r| r.actor.as_deref() == Some("pat.owner")), "[{label}]");

        // Keyset pages: two at a time, no entry twice, none lost.
        let mut seen = Vec::new();
        let mut filter = AuditFilter::default();
        loop {
            let page = activity::audit_log(&state, &admin, &filter, 2).await.unwrap();
            if page.is_empty() {
                break;
            }
            let last = page.last().unwrap();
            filter.before = Some((last.at, last.id.clone()));
            seen.extend(page.into_iter().map(|r| r.id));
        }
        let all: Vec<String> = everything.into_iter().map(|r| r.id).collect();
        assert_eq!(seen, all, "[{label}]");
    })
    .await;
}

// covers: CON-6, CON-5
#[tokio::test]
async fn a_failed_message_is_queued_again_and_only_a_failed_one() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        register_as(&state, "individual", &individual_fields("ann.lee")).await.unwrap();
        let id = one(&state, "SELECT id FROM outbox ORDER BY id LIMIT 1", &[]).await;
        assert!(matches!(activity::retry(&state, &admin, &id).await, Err(ServiceError::NotFound)), "[{label}] queued");
        exec(&state, "UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'refused' WHERE id = $1", &[&id])
            .await;
        let failed = activity::outbox(&state, &admin, Some("failed"), 25, 0).await.unwrap();
        assert_eq!(failed.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), [id.as_str()], "[{label}]");

        activity::retry(&state, &admin, &id).await.expect("retried");
        let (status, attempts) = (
            one(&state, "SELECT status FROM outbox WHERE id = $1", &[&id]).await,
            one(&state, "SELECT CAST(attempts AS TEXT) FROM outbox WHERE id = $1", &[&id]).await,
        );
        assert_eq!((status.as_str(), attempts.as_str()), ("queued", "0"), "[{label}]");
        assert_eq!(one(&state, "SELECT action FROM audit_log WHERE subject_id = $1", &[&id]).await, "outbox.retried");
        assert!(matches!(activity::outbox(&state, &admin, Some("lost"), 25, 0).await, Err(ServiceError::NotFound)));
    })
    .await;
}

// covers: SEC-5, CON-1
#[tokio::test]
async fn no_customer_holds_the_console_capability() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let staff = colleague(&state, &acme, "sam.staff", None).await;
        let ann = register_as(&state, "individual", &individual_fields("ann.lee")).await.unwrap().user_id;
        for user in [&acme.primary, &staff, &ann] {
            let refused = caller(&state, user).await.unwrap().merchant_admin();
            assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {user}");
        }
    })
    .await;
}

// covers: CON-5
#[test]
fn no_code_updates_or_deletes_an_audit_entry() {
    // The store module is the only code that names the table; it must never change a row. Every
    // other source file must not name it in a statement that writes.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut offenders = Vec::new();
    for dir in ["app/src", "server/src"] {
        for entry in walk(&root.join(dir)) {
            let text = std::fs::read_to_string(&entry)
                .unwrap()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for bad in ["update audit_log", "delete from audit_log", "truncate audit_log", "drop table audit_log"] {
                if text.contains(bad) {
                    offenders.push(format!("{}: {bad}", entry.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
