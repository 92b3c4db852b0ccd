//! The data every installation has (REG-4 user types, permissions and roles, settings) and the
//! start-up data (OPS-5 merchant admin, OPS-6 demo data), on SQLite and PostgreSQL.

use app::backend::services::bootstrap::{ensure_merchant_admin, load_demo_data};
use app::backend::settings::Settings;
use app::backend::store::user_types;
use app::backend::{AppState, TestClock};
use app::testing::sign_in;
use app::testing::{count_rows, for_each_database, migrated_state};

const T0: i64 = 1_800_000_000_000;

async fn state_on(url: &str) -> AppState {
    migrated_state(url, TestClock::at(T0)).await
}

// covers: REG-1, REG-4
#[tokio::test]
async fn the_seven_user_types_are_seeded_with_their_groups_activity_and_approval() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db.url).await;
        // key, group, long name, active, needs approval
        let expected: [(&str, &str, &str, bool, bool); 7] = [
            ("individual", "individual", "Register as an individual", true, false),
            ("company_primary", "company", "Register your company", true, false),
            ("company_business", "company", "Register as a user of an existing company", true, true),
            ("partner_primary", "partner", "Register as a partner", false, false),
            ("partner_business", "partner", "Register as a user of an existing partner", false, true),
            ("online_access_individual", "individual", "Need online access to your existing account?", false, false),
            (
                "online_access_business",
                "company",
                "Need online access to your company's existing account?",
                false,
                true,
            ),
        ];
        assert_eq!(count_rows(&state.db, "user_types").await, 7, "[{label}]");
        let mut conn = state.db.pool().acquire().await.unwrap();
        for (key, group, long_name, active, approval) in expected {
            let t = user_types::find_by_key(&mut conn, key).await.unwrap().unwrap_or_else(|| panic!("[{label}] {key}"));
            assert_eq!(
                (t.group_key.as_deref(), t.long_name.as_str(), t.is_active, t.approval_definition_id.is_some()),
                (Some(group), long_name, active, approval),
                "[{label}] user type {key}"
            );
            assert!(t.is_self_service, "[{label}] {key} is self-service");
        }
    })
    .await;
}

async fn role_permissions(state: &AppState, role_key: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT rp.permission_code FROM role_permissions rp JOIN roles r ON r.id = rp.role_id \
         WHERE r.key = $1 ORDER BY rp.permission_code",
    )
    .bind(role_key)
    .fetch_all(state.db.pool())
    .await
    .unwrap();
    rows.into_iter().map(|(p,)| p).collect()
}

// covers: REG-4
#[tokio::test]
async fn the_twelve_permissions_and_four_roles_are_seeded() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db.url).await;
        let mut all = vec![
            "PENDING_APPROVALS",
            "PENDING_APPROVALS_GROUP",
            "MANAGE_CONTACTS",
            "MANAGE_USERS",
            "ASSIGN_ROLES",
            "ASSIGN_SITES",
            "ASSIGN_ACCOUNTS",
            "MANAGE_ROLES",
            "ORG_DETAILS",
            "UPDATE_ORG_DETAILS",
            "ORG_ADMINISTRATORS",
            "VIEW_ACCOUNTS",
        ];
        all.sort_unstable();
        let codes: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM permissions ORDER BY code").fetch_all(state.db.pool()).await.unwrap();
        let codes: Vec<String> = codes.into_iter().map(|(c,)| c).collect();
        assert_eq!(codes, all, "[{label}] the 12 permissions");

        let roles: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT key, name, is_seeded FROM roles WHERE organization_id IS NULL ORDER BY key")
                .fetch_all(state.db.pool())
                .await
                .unwrap();
        let roles: Vec<(&str, &str, i64)> = roles.iter().map(|(k, n, s)| (k.as_str(), n.as_str(), *s)).collect();
        assert_eq!(
            roles,
            [
                ("business_user", "Business User", 1),
                ("partner_business_user", "Partner Business User", 1),
                ("partner_primary_user", "Partner Primary User", 1),
                ("primary_user", "Primary User", 1),
            ],
            "[{label}]"
        );
        assert_eq!(role_permissions(&state, "primary_user").await, all, "[{label}] Primary User holds all 12");
        assert_eq!(role_permissions(&state, "partner_primary_user").await, all, "[{label}]");
        let business = ["ORG_ADMINISTRATORS", "ORG_DETAILS", "VIEW_ACCOUNTS"];
        assert_eq!(role_permissions(&state, "business_user").await, business, "[{label}]");
        assert_eq!(role_permissions(&state, "partner_business_user").await, business, "[{label}]");

        // What each type grants on approval (REG-4 "creates").
        let grants: Vec<(String, String)> = sqlx::query_as(
            "SELECT t.key, r.key FROM user_type_roles g JOIN user_types t ON t.id = g.user_type_id \
             JOIN roles r ON r.id = g.role_id ORDER BY t.key",
        )
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        let grants: Vec<(&str, &str)> = grants.iter().map(|(t, r)| (t.as_str(), r.as_str())).collect();
        assert_eq!(
            grants,
            [
                ("company_business", "business_user"),
                ("company_primary", "primary_user"),
                ("online_access_business", "business_user"),
                ("partner_business", "partner_business_user"),
                ("partner_primary", "partner_primary_user"),
            ],
            "[{label}]"
        );
    })
    .await;
}

// covers: REG-9, REG-10, SEC-2, SEC-4, NOT-2
#[tokio::test]
async fn the_seeded_settings_are_the_documented_defaults() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db.url).await;
        let mut conn = state.db.pool().acquire().await.unwrap();
        let settings = Settings::load(&mut conn).await.unwrap();
        assert_eq!(settings, Settings::default(), "[{label}] the seed matches the code's defaults");
        assert_eq!(
            (settings.password_min_length, settings.password_hard_to_guess, settings.mandate_business_phone),
            (12, true, false),
            "[{label}] REG-9, REG-10"
        );
        assert_eq!((settings.session_idle_minutes, settings.session_absolute_hours), (30, 12), "[{label}] SEC-2");
        assert_eq!(
            (
                settings.sign_in_delay_after_failures,
                settings.sign_in_lock_after_failures,
                settings.sign_in_lock_minutes
            ),
            (5, 20, 15),
            "[{label}] SEC-4"
        );
        drop(conn);
        assert_eq!(count_rows(&state.db, "settings").await, 17, "[{label}] every setting is stored");
    })
    .await;
}

// covers: OPS-1, OPS-5, LOG-3
#[tokio::test]
async fn the_merchant_admin_is_created_once_and_must_change_its_password() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db.url).await;
        let generated = ensure_merchant_admin(&state, None).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let password = generated.unwrap_or_else(|| panic!("[{label}] a generated password is returned once"));
        assert_eq!(password.chars().count(), 20, "[{label}]");
        let admin: (String, i64, i64, String) = sqlx::query_as(
            "SELECT status, is_merchant_admin, must_change_password, username FROM users WHERE lower_username = 'admin'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(admin, ("active".into(), 1, 1, "admin".into()), "[{label}]");

        let again = ensure_merchant_admin(&state, Some("another password entirely")).await.unwrap();
        assert_eq!(again, None, "[{label}] nothing is generated the second time");
        assert_eq!(count_rows(&state.db, "users").await, 1, "[{label}] still one admin");
        let signed_in = sign_in(&state, "admin", &password).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert!(signed_in.must_change_password, "[{label}] LOG-3");
    })
    .await;
}

// covers: OPS-6
#[tokio::test]
async fn the_demo_data_is_loaded_once() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = state_on(&db.url).await;
        assert!(load_demo_data(&state).await.unwrap(), "[{label}] loaded the first time");
        let tables = ["persons", "organizations", "contacts", "accounts", "orders", "sites", "phones", "email_addresses"];
        let mut before = Vec::new();
        for table in tables {
            before.push(count_rows(&state.db, table).await);
        }
        assert!(!load_demo_data(&state).await.unwrap(), "[{label}] not loaded twice");
        let mut after = Vec::new();
        for table in tables {
            after.push(count_rows(&state.db, table).await);
        }
        assert_eq!(after, before, "[{label}] idempotent");
        let pool = state.db.pool();

        let dana: (String, String, String, String) = sqlx::query_as(
            "SELECT a.account_number, o.order_number, o.bill_to_postal_code, ph.number FROM persons p \
             JOIN accounts a ON a.person_id = p.id JOIN orders o ON o.account_id = a.id \
             JOIN phones ph ON ph.person_id = p.id WHERE p.first_name = 'Dana' AND p.last_name = 'Smith'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            dana,
            ("A-100001".into(), "O-500001".into(), "94105".into(), "+1 415 555 0100".into()),
            "[{label}] Dana Smith"
        );

        let acme: (String, String, i64, String, String, String, i64) = sqlx::query_as(
            "SELECT org.registry_id, org.status, org.is_partner, a.account_number, o.order_number, p.first_name || ' ' || p.last_name, \
               o.placed_at \
             FROM organizations org JOIN accounts a ON a.organization_id = org.id \
             JOIN orders o ON o.account_id = a.id JOIN contacts c ON c.id = o.sold_to_contact_id \
             JOIN persons p ON p.id = c.person_id WHERE org.name = 'Acme Tools'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            acme,
            (
                "R-ACME01".into(),
                "active".into(),
                0,
                "A-200001".into(),
                "O-600001".into(),
                "Lee Chen".into(),
                1_770_076_800_000 // 2026-02-03
            ),
            "[{label}] Acme Tools"
        );
        assert_eq!(count_rows(&state.db, "sites").await, 1, "[{label}] one specialty site");
    })
    .await;
}
