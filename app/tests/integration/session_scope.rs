//! The session's account and customer (PRO-3, PRO-7): which accounts a business user may use
//! and make primary, that a session can only choose what it is offered, and that after a switch
//! of customer nothing of the previous one is reachable. SQLite and PostgreSQL.

use app::backend::authz::{self, SessionChoice};
use app::backend::services::session_scope::{choose_account, choose_customer, set_primary_account};
use app::backend::store::accounts::{self, Owner};
use app::backend::{new_id, AppState, ServiceError, TestClock};
use app::domain::{Language, Permission};
use app::testing::{
    colleague, company, count_rows, exec, for_each_database, individual_fields, migrated_state, one, register,
    set_setting, Company, T0,
};

/// A new account of `organization`, optionally assigned to `user` (not as primary).
async fn account_of(state: &AppState, organization: &str, assign_to: Option<&str>) -> String {
    let mut conn = state.db.pool().acquire().await.expect("connection");
    let number = format!("A-T{}", &new_id()[24..]);
    let id = accounts::insert(&mut conn, Owner::Organization(organization), &number, false, None, T0)
        .await
        .expect("account");
    if let Some(user) = assign_to {
        accounts::assign(&mut conn, user, &id, false, T0 + 1).await.expect("assign");
    }
    id
}

async fn usable(state: &AppState, user: &str, choice: &SessionChoice) -> Vec<String> {
    let caller = authz::caller_choosing(state, user, choice).await.expect("a usable user");
    caller.scope().accounts.iter().map(|a| a.id.clone()).collect()
}

fn choosing(organization: Option<&str>, account: Option<&str>) -> SessionChoice {
    SessionChoice { organization_id: organization.map(str::to_owned), account_id: account.map(str::to_owned) }
}

/// The company's primary account, assigned to its primary user at registration (REG-6).
async fn company_primary_account(state: &AppState, acme: &Company) -> String {
    one(state, "SELECT id FROM accounts WHERE organization_id = $1 AND is_company_primary = 1", &[&acme.org]).await
}

// covers: PRO-3, REJ-4
#[tokio::test]
async fn a_business_user_uses_only_active_accounts_assigned_to_them_and_chooses_the_primary() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let first = company_primary_account(&state, &acme).await;
        let second = account_of(&state, &acme.org, Some(&acme.primary)).await;
        let inactive = account_of(&state, &acme.org, Some(&acme.primary)).await;
        exec(&state, "UPDATE accounts SET status = 'inactive' WHERE id = $1", &[&inactive]).await;
        let unassigned = account_of(&state, &acme.org, None).await;
        let globex = company(&state, "Globex", "gil.owner").await;
        let foreign = company_primary_account(&state, &globex).await;

        assert_eq!(
            usable(&state, &acme.primary, &SessionChoice::default()).await,
            [first.clone(), second.clone()],
            "[{label}]"
        );
        let holder = authz::caller(&state, &acme.primary).await.unwrap().account_holder().expect("a business user");
        assert_eq!(holder.session_account(), Some(first.as_str()), "[{label}] the primary is the session's default");

        let audits = count_rows(&state.db, "audit_log").await;
        for refused in [&inactive, &unassigned, &foreign] {
            let outcome = set_primary_account(&state, &holder, refused).await;
            assert!(matches!(outcome, Err(ServiceError::NotFound)), "[{label}] {refused}: {outcome:?}");
        }
        assert_eq!(count_rows(&state.db, "audit_log").await, audits, "[{label}] refusals change nothing");

        set_primary_account(&state, &holder, &second).await.expect("make primary");
        let after = authz::caller(&state, &acme.primary).await.unwrap();
        let primaries: Vec<_> = after.scope().accounts.iter().filter(|a| a.is_primary).map(|a| a.id.clone()).collect();
        assert_eq!(primaries, [second.as_str()], "[{label}] exactly one primary");
        assert_eq!(after.signed_in().unwrap().account_id(), Some(second.as_str()), "[{label}] and it is the default");
        assert_eq!(count_rows(&state.db, "audit_log").await, audits + 1, "[{label}] audited");
    })
    .await;
}

// covers: PRO-3, ADM-9
#[tokio::test]
async fn individuals_have_no_accounts_page() {
    for_each_database(|db| async move {
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = register(&state, "individual", &individual_fields("ann.lee"), Language::English).await.unwrap();
        let caller = authz::caller(&state, &ann.user_id).await.unwrap();
        assert!(matches!(caller.account_holder(), Err(ServiceError::Forbidden)), "[{}]", db.label);
    })
    .await;
}

// covers: PRO-3, SEC-5
#[tokio::test]
async fn a_session_can_only_use_an_account_assigned_to_its_user() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let first = company_primary_account(&state, &acme).await;
        let second = account_of(&state, &acme.org, Some(&acme.primary)).await;
        let colleague_only = account_of(&state, &acme.org, None).await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        exec(&state, "DELETE FROM account_assignments WHERE user_id = $1", &[&ann]).await;
        let mut conn = state.db.pool().acquire().await.unwrap();
        accounts::assign(&mut conn, &ann, &colleague_only, true, T0).await.unwrap();
        drop(conn);

        let pat = authz::caller(&state, &acme.primary).await.unwrap();
        assert!(choose_account(&pat, &second).is_ok(), "[{label}] an assigned account");
        assert!(matches!(choose_account(&pat, &colleague_only), Err(ServiceError::NotFound)), "[{label}]");

        // A session that somehow holds someone else's account falls back to the user's own.
        let forged =
            authz::caller_choosing(&state, &acme.primary, &choosing(None, Some(&colleague_only))).await.unwrap();
        assert_eq!(forged.signed_in().unwrap().account_id(), Some(first.as_str()), "[{label}]");
        let chosen = authz::caller_choosing(&state, &acme.primary, &choosing(None, Some(&second))).await.unwrap();
        assert_eq!(chosen.signed_in().unwrap().account_id(), Some(second.as_str()), "[{label}]");

        // Unassigning it ends its use at the next request.
        exec(&state, "DELETE FROM account_assignments WHERE account_id = $1", &[&second]).await;
        let later = authz::caller_choosing(&state, &acme.primary, &choosing(None, Some(&second))).await.unwrap();
        assert_eq!(later.signed_in().unwrap().account_id(), Some(first.as_str()), "[{label}] the choice lapses");
    })
    .await;
}

/// Pat (primary user of Acme) is also a contact of Globex, with one Globex account assigned.
async fn contact_of_two_customers(state: &AppState) -> (Company, Company, String) {
    let acme = company(state, "Acme Tools", "pat.owner").await;
    let globex = company(state, "Globex", "gil.owner").await;
    let person = one(state, "SELECT person_id FROM users WHERE id = $1", &[&acme.primary]).await;
    exec(
        state,
        "INSERT INTO contacts (id, person_id, organization_id, kind, job_title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'contact_of', NULL, 'active', 0, 0)",
        &[&new_id(), &person, &globex.org],
    )
    .await;
    let globex_account = account_of(state, &globex.org, Some(&acme.primary)).await;
    (acme, globex, globex_account)
}

// covers: PRO-7, SEC-5, SEC-2
#[tokio::test]
async fn after_switching_customer_nothing_of_the_previous_one_is_reachable() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        set_setting(&state, "multi_customer_access", "true").await;
        let (acme, globex, globex_account) = contact_of_two_customers(&state).await;
        let acme_account = company_primary_account(&state, &acme).await;

        let home = authz::caller(&state, &acme.primary).await.unwrap();
        let offered: Vec<_> = home.scope().customers.iter().map(|c| c.name.clone()).collect();
        assert_eq!(offered, ["Acme Tools", "Globex"], "[{label}] both customers are offered");
        assert_eq!(home.organization_id(), Some(acme.org.as_str()), "[{label}] the user's own by default");
        choose_customer(&home, &globex.org).expect("an offered customer");

        let there = authz::caller_choosing(&state, &acme.primary, &choosing(Some(&globex.org), None)).await.unwrap();
        assert_eq!(there.signed_in().unwrap().organization_id(), Some(globex.org.as_str()), "[{label}]");
        assert_eq!(there.signed_in().unwrap().account_id(), Some(globex_account.as_str()), "[{label}]");
        // Reading as a business user of Globex, scoped to Globex …
        let reader = there.company_admin(Permission::OrgDetails).expect("Business User reads carry over");
        assert_eq!(reader.organization_id(), globex.org, "[{label}]");
        // … but administering neither Globex nor, any longer, Acme.
        for permission in [Permission::ManageContacts, Permission::UpdateOrgDetails, Permission::PendingApprovals] {
            assert!(
                matches!(there.company_admin(permission), Err(ServiceError::Forbidden)),
                "[{label}] {permission:?}"
            );
        }
        assert!(matches!(there.company_approver(), Err(ServiceError::Forbidden)), "[{label}] no Acme queue");
        assert!(matches!(choose_account(&there, &acme_account), Err(ServiceError::NotFound)), "[{label}]");
        let holder = there.account_holder().unwrap();
        assert_eq!(holder.accounts().iter().map(|a| a.id.clone()).collect::<Vec<_>>(), [globex_account.as_str()]);
        assert!(matches!(set_primary_account(&state, &holder, &acme_account).await, Err(ServiceError::NotFound)));
        // The account chosen for Acme does not follow the session to Globex.
        let stale = choosing(Some(&globex.org), Some(&acme_account));
        let stale = authz::caller_choosing(&state, &acme.primary, &stale).await.unwrap();
        assert_eq!(stale.signed_in().unwrap().account_id(), Some(globex_account.as_str()), "[{label}]");

        // Back home, the primary user's rights are back.
        let back = authz::caller_choosing(&state, &acme.primary, &choosing(Some(&acme.org), None)).await.unwrap();
        assert!(back.company_admin(Permission::ManageContacts).is_ok(), "[{label}]");
    })
    .await;
}

// covers: PRO-7, SEC-5
#[tokio::test]
async fn a_customer_choice_lapses_without_the_setting_or_the_relationship() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let (acme, globex, _) = contact_of_two_customers(&state).await;
        let to_globex = choosing(Some(&globex.org), None);

        // multi_customer_access is off by default.
        let off = authz::caller_choosing(&state, &acme.primary, &to_globex).await.unwrap();
        assert_eq!(off.organization_id(), Some(acme.org.as_str()), "[{label}] setting off");
        assert!(off.scope().customers.is_empty(), "[{label}] nothing offered");
        assert!(matches!(choose_customer(&off, &globex.org), Err(ServiceError::NotFound)), "[{label}]");

        set_setting(&state, "multi_customer_access", "true").await;
        let initech = company(&state, "Initech", "ian.owner").await;
        let stranger =
            authz::caller_choosing(&state, &acme.primary, &choosing(Some(&initech.org), None)).await.unwrap();
        assert_eq!(stranger.organization_id(), Some(acme.org.as_str()), "[{label}] no relationship, no access");
        assert!(matches!(choose_customer(&stranger, &initech.org), Err(ServiceError::NotFound)), "[{label}]");

        exec(
            &state,
            "UPDATE contacts SET status = 'inactive' WHERE organization_id = $1 AND kind = 'contact_of'",
            &[&globex.org],
        )
        .await;
        let ended = authz::caller_choosing(&state, &acme.primary, &to_globex).await.unwrap();
        assert_eq!(ended.organization_id(), Some(acme.org.as_str()), "[{label}] an ended relationship lapses");
    })
    .await;
}
