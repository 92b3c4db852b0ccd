//! The universal approver (APR-2, APR-7, APR-8) is a user, named by id in the setting
//! `universal_approver`, and must be an active merchant admin: a username can be released and
//! registered by anyone. SQLite and PostgreSQL.

use app::backend::authz::company_approver;
use app::backend::services::approvals::{decidable, pending};
use app::backend::{ServiceError, TestClock};
use app::testing::{
    approver, company, exec, for_each_database, mails, migrated_state, needs_universal_approval, one, pending_company,
    queue, ready_merchant_admin, set_setting, T0,
};

// covers: APR-2, SEC-5
#[tokio::test]
async fn a_stranger_who_registers_the_released_admin_username_decides_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        needs_universal_approval(&state, "company_primary").await;
        let admin = ready_merchant_admin(&state).await;
        let (_, globex_request) = pending_company(&state, "Globex", "kim.owner").await;
        // The merchant admin is renamed, which releases the username `admin` to anyone (REG-8).
        exec(&state, "UPDATE users SET username = 'merchant', lower_username = 'merchant' WHERE id = $1", &[&admin])
            .await;
        route_company_primary_to_nobody(&state).await;
        let mallory = company(&state, "Mallory Ltd", "admin").await;
        needs_universal_approval(&state, "company_primary").await;
        exec(&state, "DELETE FROM outbox", &[]).await;

        let as_mallory = approver(&state, &mallory.primary).await;
        assert_eq!(queue(&state, &as_mallory).await, Vec::<String>::new(), "[{label}] the stranger sees nothing");
        let seen = decidable(&state, &as_mallory, &globex_request).await;
        assert!(matches!(seen, Err(ServiceError::NotFound)), "[{label}] nor decides it: {seen:?}");
        let (_, initech_request) = pending_company(&state, "Initech", "bill.owner").await;
        assert!(
            !mails(&state, "approval_needed").await.contains(&"admin@example.com".to_owned()),
            "[{label}] NOT-1: 'approval needed' is not sent to whoever holds the name"
        );

        let real = approver(&state, &admin).await;
        let mut expected = vec![globex_request.clone(), initech_request.clone()];
        expected.sort();
        let mut seen = queue(&state, &real).await;
        seen.sort();
        assert_eq!(seen, expected, "[{label}] the real admin still is the universal approver");
    })
    .await;
}

// covers: APR-2
#[tokio::test]
async fn a_universal_approver_setting_naming_a_user_who_is_no_merchant_admin_decides_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = ready_merchant_admin(&state).await;
        let pat = company(&state, "Acme Tools", "pat.owner").await;
        needs_universal_approval(&state, "company_primary").await;
        let (_, request) = pending_company(&state, "Globex", "kim.owner").await;
        set_setting(&state, "universal_approver", &pat.primary).await;
        let as_pat = approver(&state, &pat.primary).await;
        assert!(queue(&state, &as_pat).await.is_empty(), "[{label}] a primary user is never the universal approver");
        assert!(matches!(decidable(&state, &as_pat, &request).await, Err(ServiceError::NotFound)), "[{label}]");
        let refused = company_approver(&state, &admin).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden)),
            "[{label}] the admin is no longer named: {:?}",
            refused.map(|_| ())
        );
        set_setting(&state, "universal_approver", &admin).await;
        let rows = pending(&state, &approver(&state, &admin).await, 0, 25).await.expect("queue");
        assert_eq!(rows.len(), 1, "[{label}] named by id, the admin decides it");
    })
    .await;
}

// covers: APR-2, OPS-5
#[tokio::test]
async fn migration_0004_names_the_existing_admin_by_id() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        assert_eq!(
            one(&state, "SELECT value FROM settings WHERE key = 'universal_approver'", &[]).await,
            "",
            "[{label}] migrated before any admin exists: nobody"
        );
        let admin = ready_merchant_admin(&state).await;
        company(&state, "Kim's", "kim.owner").await;
        assert_eq!(
            one(&state, "SELECT value FROM settings WHERE key = 'universal_approver'", &[]).await,
            admin,
            "[{label}] the bootstrap names the new admin by id"
        );
        // A database migrated before 0004 still says `admin`; the migration converts it.
        set_setting(&state, "universal_approver", "Admin").await;
        let sql = include_str!("../../../migrations/sqlite/0004_universal_approver_by_id.sql");
        assert_eq!(sql, include_str!("../../../migrations/postgres/0004_universal_approver_by_id.sql"), "one SQL");
        sqlx::raw_sql(sql).execute(state.db.pool()).await.expect("0004");
        assert_eq!(
            one(&state, "SELECT value FROM settings WHERE key = 'universal_approver'", &[]).await,
            admin,
            "[{label}] a merchant admin's username becomes their id"
        );
        set_setting(&state, "universal_approver", "kim.owner").await;
        sqlx::raw_sql(sql).execute(state.db.pool()).await.expect("0004");
        assert_eq!(
            one(&state, "SELECT value FROM settings WHERE key = 'universal_approver'", &[]).await,
            "",
            "[{label}] any other username names nobody"
        );
    })
    .await;
}

/// `company_primary` back to no approval, so a company registers and is active at once.
async fn route_company_primary_to_nobody(state: &app::backend::AppState) {
    exec(state, "UPDATE user_types SET approval_definition_id = NULL WHERE key = 'company_primary'", &[]).await;
}
