//! A user's Roles, Sites and Accounts tabs (ADM-4, ADM-5, ADM-6): what a company's
//! administrator may grant, assign and remove, only within their organization (SEC-5), never
//! for themselves, never beyond their own permissions, never leaving the company without an
//! administrator; every change audited (CON-5). SQLite and PostgreSQL.

use app::backend::error::ServiceError;
use app::backend::services::admin::user_accounts::{account_removal, assign_account, remove_account, user_accounts};
use app::backend::services::admin::user_roles::{grant_role, revoke_role, user_roles};
use app::backend::services::admin::user_sites::{assign_site, remove_site, user_sites};
use app::backend::TestClock;
use app::domain::{ConflictCode, Permission};
use app::testing::{
    accounts_of, audit_actions, colleague, company, company_account, company_admin, contact_of, count_rows,
    custom_role_of, for_each_database, limited_admin, menu_links_to, migrated_state, one, roles_of,
    second_primary_user, site, sites_of, BUSINESS_USER_ROLE, PRIMARY_USER_ROLE, T0,
};
use strum::IntoEnumIterator;

const ADMIN_PERMISSIONS: [Permission; 3] =
    [Permission::ManageContacts, Permission::AssignRoles, Permission::PendingApprovals];

/// Row counts of everything the tabs change.
async fn access_counts(state: &app::backend::AppState) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["user_roles", "user_sites", "account_assignments", "audit_log"] {
        counts.push(count_rows(&state.db, table).await);
    }
    counts
}

// covers: ADM-4, ADM-9, CON-5
#[tokio::test]
async fn a_granted_role_applies_on_the_users_next_request_and_a_revoked_one_is_gone() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let approvers = custom_role_of(&state, &acme.org, "Approvers", &[Permission::PendingApprovals]).await;
        let ann_contact = contact_of(&state, &ann).await;
        let pat = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();
        assert!(!menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] not yet");

        let tab = user_roles(&state, &pat, &ann_contact).await.unwrap();
        assert_eq!(tab.held.iter().map(|h| h.role.name.as_str()).collect::<Vec<_>>(), ["Business User"], "[{label}]");
        let grantable: Vec<&str> = tab.grantable.iter().map(|r| r.name.as_str()).collect();
        assert!(grantable.contains(&"Approvers") && grantable.contains(&"Primary User"), "[{label}] {grantable:?}");
        assert!(!grantable.contains(&"Business User"), "[{label}] a role the user holds is not offered");

        grant_role(&state, &pat, &ann_contact, &approvers).await.expect("granted");
        assert!(menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] the next request sees the queue");
        let ann_admin = company_admin(&state, &ann, Permission::OrgDetails).await.unwrap();
        assert!(ann_admin.permissions().holds(Permission::PendingApprovals), "[{label}]");
        grant_role(&state, &pat, &ann_contact, &approvers).await.expect("granting again changes nothing");

        revoke_role(&state, &pat, &ann_contact, &approvers).await.expect("revoked");
        assert!(!menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] gone on the next request");
        assert_eq!(
            audit_actions(&state, &ann).await,
            ["user.role_granted", "user.role_revoked"],
            "[{label}] one row per change, none for the repeated grant"
        );
        let after = one(&state, "SELECT after_value FROM audit_log WHERE action = 'user.role_granted'", &[]).await;
        assert!(after.contains(&approvers) && after.contains("Approvers"), "[{label}] {after}");
        let before = one(&state, "SELECT before_value FROM audit_log WHERE action = 'user.role_revoked'", &[]).await;
        assert!(before.contains(&approvers), "[{label}] {before}");
        let actor = one(&state, "SELECT actor_user_id FROM audit_log WHERE action = 'user.role_revoked'", &[]).await;
        assert_eq!(actor, acme.primary, "[{label}]");
    })
    .await;
}

// covers: ADM-4, SEC-5
#[tokio::test]
async fn no_role_wider_than_the_administrator_nor_another_companys_is_granted() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let lee = limited_admin(&state, &acme, "lee.deputy", &ADMIN_PERMISSIONS).await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let ann_contact = contact_of(&state, &ann).await;
        let subset = custom_role_of(&state, &acme.org, "Approvers", &[Permission::PendingApprovals]).await;
        let wider = custom_role_of(&state, &acme.org, "Role admins", &[Permission::ManageRoles]).await;
        let theirs = custom_role_of(&state, &globex.org, "Globex approvers", &[Permission::PendingApprovals]).await;
        let lee = company_admin(&state, &lee, Permission::ManageContacts).await.unwrap();

        let tab = user_roles(&state, &lee, &ann_contact).await.unwrap();
        let grantable: Vec<&str> = tab.grantable.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            grantable,
            ["Partner Business User", "Approvers", "lee.deputy role"],
            "[{label}] seeded roles and Acme's own, each within Lee's permissions; none Ann holds"
        );

        let before = access_counts(&state).await;
        for (role, expected) in [
            (PRIMARY_USER_ROLE, "Forbidden"),
            (wider.as_str(), "Forbidden"),
            (theirs.as_str(), "NotFound"),
            ("no-such-role", "NotFound"),
        ] {
            let refused = grant_role(&state, &lee, &ann_contact, role).await;
            assert_eq!(format!("{:?}", refused.err()), format!("Some({expected})"), "[{label}] {role}");
        }
        assert_eq!(access_counts(&state).await, before, "[{label}] nothing changed");
        assert_eq!(roles_of(&state, &ann).await, [BUSINESS_USER_ROLE], "[{label}]");
        grant_role(&state, &lee, &ann_contact, &subset).await.expect("a subset of Lee's permissions");

        // A role Lee could not grant is not Lee's to revoke either.
        let zed = second_primary_user(&state, &acme, "zed.second").await;
        let zed_contact = contact_of(&state, &zed).await;
        let zed_tab = user_roles(&state, &lee, &zed_contact).await.unwrap();
        let primary = zed_tab.held.iter().find(|h| h.role.id == PRIMARY_USER_ROLE).expect("held");
        assert!(!primary.revocable, "[{label}]");
        let refused = revoke_role(&state, &lee, &zed_contact, PRIMARY_USER_ROLE).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {refused:?}");
        assert!(roles_of(&state, &zed).await.contains(&PRIMARY_USER_ROLE.to_owned()), "[{label}]");
    })
    .await;
}

// covers: ADM-4, ADM-5, ADM-6, SEC-5
#[tokio::test]
async fn another_companys_contact_is_not_found_and_a_user_without_the_permission_is_refused() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let ann_contact = contact_of(&state, &ann).await;
        let trade = site(&state, "Trade Counter", None).await;
        let account = one(&state, "SELECT id FROM accounts WHERE organization_id = $1", &[&acme.org]).await;
        let kim = company_admin(&state, &globex.primary, Permission::ManageContacts).await.unwrap();
        let before = access_counts(&state).await;

        let answers = [
            format!("{:?}", user_roles(&state, &kim, &ann_contact).await.err()),
            format!("{:?}", grant_role(&state, &kim, &ann_contact, PRIMARY_USER_ROLE).await.err()),
            format!("{:?}", revoke_role(&state, &kim, &ann_contact, BUSINESS_USER_ROLE).await.err()),
            format!("{:?}", user_sites(&state, &kim, &ann_contact).await.err()),
            format!("{:?}", assign_site(&state, &kim, &ann_contact, &trade).await.err()),
            format!("{:?}", user_accounts(&state, &kim, &ann_contact).await.err()),
            format!("{:?}", account_removal(&state, &kim, &ann_contact, &account).await.err()),
            format!("{:?}", remove_account(&state, &kim, &ann_contact, &account).await.err()),
        ];
        for answer in answers {
            assert_eq!(answer, "Some(NotFound)", "[{label}] another company's contact is unknown");
        }
        assert_eq!(access_counts(&state).await, before, "[{label}] nothing changed");
        // Acme's account is not Globex's to assign, even to Globex's own staff.
        let kims_staff = colleague(&state, &globex, "gus.staff", None).await;
        let gus_contact = contact_of(&state, &kims_staff).await;
        let before_globex = access_counts(&state).await;
        let refused = assign_account(&state, &kim, &gus_contact, &account).await;
        assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] {refused:?}");
        assert_eq!(access_counts(&state).await, before_globex, "[{label}]");

        // A business user has no MANAGE_CONTACTS; a contact manager without the tab's own
        // permission is refused that tab.
        let refused = company_admin(&state, &ann, Permission::ManageContacts).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}]");
        let mia = limited_admin(&state, &acme, "mia.contacts", &[Permission::ManageContacts]).await;
        let mia = company_admin(&state, &mia, Permission::ManageContacts).await.unwrap();
        let before = access_counts(&state).await;
        let answers = [
            format!("{:?}", user_roles(&state, &mia, &ann_contact).await.err()),
            format!("{:?}", grant_role(&state, &mia, &ann_contact, BUSINESS_USER_ROLE).await.err()),
            format!("{:?}", user_sites(&state, &mia, &ann_contact).await.err()),
            format!("{:?}", assign_site(&state, &mia, &ann_contact, &trade).await.err()),
            format!("{:?}", user_accounts(&state, &mia, &ann_contact).await.err()),
            format!("{:?}", remove_account(&state, &mia, &ann_contact, &account).await.err()),
        ];
        for answer in answers {
            assert_eq!(answer, "Some(Forbidden)", "[{label}]");
        }
        assert_eq!(access_counts(&state).await, before, "[{label}] nothing changed");
    })
    .await;
}

// covers: ADM-4, ADM-3
#[tokio::test]
async fn no_one_changes_their_own_access_and_the_last_administrator_keeps_the_role() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let pat_contact = contact_of(&state, &acme.primary).await;
        let pat = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();
        let trade = site(&state, "Trade Counter", None).await;
        let before = access_counts(&state).await;
        for refused in [
            revoke_role(&state, &pat, &pat_contact, PRIMARY_USER_ROLE).await.map(|_| ()),
            grant_role(&state, &pat, &pat_contact, BUSINESS_USER_ROLE).await.map(|_| ()),
            assign_site(&state, &pat, &pat_contact, &trade).await.map(|_| ()),
        ] {
            assert!(matches!(refused, Err(ServiceError::Conflict(ConflictCode::OwnAccess))), "[{label}] {refused:?}");
        }
        assert_eq!(access_counts(&state).await, before, "[{label}]");

        // A deputy with every permission but not the administrator role cannot take Pat's.
        let all: Vec<Permission> = Permission::iter().collect();
        let deputy = limited_admin(&state, &acme, "dee.deputy", &all).await;
        let dee = company_admin(&state, &deputy, Permission::ManageContacts).await.unwrap();
        let before = access_counts(&state).await;
        let refused = revoke_role(&state, &dee, &pat_contact, PRIMARY_USER_ROLE).await;
        assert!(
            matches!(refused, Err(ServiceError::Conflict(ConflictCode::LastAdministrator))),
            "[{label}] {refused:?}"
        );
        assert!(roles_of(&state, &acme.primary).await.contains(&PRIMARY_USER_ROLE.to_owned()), "[{label}]");
        assert_eq!(access_counts(&state).await, before, "[{label}] nothing changed, no audit row");

        // With a second administrator, Pat's role can go.
        let zed = second_primary_user(&state, &acme, "zed.second").await;
        let zed = company_admin(&state, &zed, Permission::ManageContacts).await.unwrap();
        revoke_role(&state, &zed, &pat_contact, PRIMARY_USER_ROLE).await.expect("another administrator remains");
        assert!(!roles_of(&state, &acme.primary).await.contains(&PRIMARY_USER_ROLE.to_owned()), "[{label}]");
    })
    .await;
}

// covers: ADM-5, CON-5
#[tokio::test]
async fn sites_are_assigned_and_removed_and_a_granted_role_brings_its_sites() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let ann_contact = contact_of(&state, &ann).await;
        let buyers = custom_role_of(&state, &acme.org, "Buyers", &[Permission::ViewAccounts]).await;
        let outlet = site(&state, "Outlet", None).await;
        let bulk = site(&state, "Bulk Buys", Some(&buyers)).await;
        exec_inactive(&state, "Closed").await;
        let pat = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();

        let (_, list) = user_sites(&state, &pat, &ann_contact).await.unwrap();
        let rows: Vec<(String, Option<String>, bool)> =
            list.into_iter().map(|s| (s.name, s.required_role, s.assigned)).collect();
        assert_eq!(
            rows,
            [("Bulk Buys".to_owned(), Some("Buyers".to_owned()), false), ("Outlet".to_owned(), None, false)],
            "[{label}] the active sites by name"
        );
        assign_site(&state, &pat, &ann_contact, &outlet).await.expect("assigned");
        assert_eq!(sites_of(&state, &ann).await, std::slice::from_ref(&outlet), "[{label}]");
        grant_role(&state, &pat, &ann_contact, &buyers).await.expect("granted");
        let mut both = vec![outlet.clone(), bulk.clone()];
        both.sort();
        assert_eq!(sites_of(&state, &ann).await, both, "[{label}] the role brought its site");
        remove_site(&state, &pat, &ann_contact, &bulk).await.expect("removed");
        remove_site(&state, &pat, &ann_contact, &bulk).await.expect("removing again changes nothing");
        assert_eq!(sites_of(&state, &ann).await, std::slice::from_ref(&outlet), "[{label}]");
        let closed = one(&state, "SELECT id FROM sites WHERE name = 'Closed'", &[]).await;
        let refused = assign_site(&state, &pat, &ann_contact, &closed).await;
        assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] an inactive site");
        assert_eq!(
            audit_actions(&state, &ann).await,
            ["user.role_granted", "user.site_assigned", "user.site_removed"],
            "[{label}]"
        );
    })
    .await;
}

async fn exec_inactive(state: &app::backend::AppState, name: &str) {
    let id = site(state, name, None).await;
    app::testing::exec(state, "UPDATE sites SET is_active = 0 WHERE id = $1", &[&id]).await;
}

// covers: ADM-6, PRO-3, SEC-5, CON-5
#[tokio::test]
async fn accounts_are_assigned_and_removed_and_the_next_one_becomes_primary() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let ann_contact = contact_of(&state, &ann).await;
        let first = one(&state, "SELECT account_number FROM accounts WHERE organization_id = $1", &[&acme.org]).await;
        let first_id = one(&state, "SELECT id FROM accounts WHERE organization_id = $1", &[&acme.org]).await;
        assert_eq!(accounts_of(&state, &ann).await, [format!("{first}*")], "[{label}] approved with the primary account");
        let second = company_account(&state, &acme.org, "A-ZZ000002").await;
        let inactive = company_account(&state, &acme.org, "A-ZZ000003").await;
        app::testing::exec(&state, "UPDATE accounts SET status = 'inactive' WHERE id = $1", &[&inactive]).await;
        let foreign = company_account(&state, &globex.org, "A-ZZ000009").await;
        // Pat holds no account but the company's first one: ADM-6 lets Pat assign any other.
        let pat = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();

        let tab = user_accounts(&state, &pat, &ann_contact).await.unwrap();
        assert_eq!(tab.assigned.iter().map(|a| a.account_number.as_str()).collect::<Vec<_>>(), [first.as_str()]);
        let assignable: Vec<&str> = tab.assignable.iter().map(|a| a.account_number.as_str()).collect();
        assert_eq!(assignable, ["A-ZZ000002"], "[{label}] active, Acme's, not yet assigned");

        assign_account(&state, &pat, &ann_contact, &second).await.expect("assigned");
        for refused in [
            assign_account(&state, &pat, &ann_contact, &foreign).await,
            assign_account(&state, &pat, &ann_contact, &inactive).await,
            assign_account(&state, &pat, &ann_contact, "no-such-account").await,
        ] {
            assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] {refused:?}");
        }
        let mut expected = vec![format!("{first}*"), "A-ZZ000002".to_owned()];
        expected.sort();
        assert_eq!(accounts_of(&state, &ann).await, expected, "[{label}]");

        let removal = account_removal(&state, &pat, &ann_contact, &first_id).await.unwrap();
        assert_eq!((removal.account_number.as_str(), removal.is_last), (first.as_str(), false), "[{label}]");
        remove_account(&state, &pat, &ann_contact, &first_id).await.expect("removed");
        assert_eq!(accounts_of(&state, &ann).await, ["A-ZZ000002*"], "[{label}] the next one became primary");
        let removal = account_removal(&state, &pat, &ann_contact, &second).await.unwrap();
        assert!(removal.is_last, "[{label}] the last account: the page warns");
        remove_account(&state, &pat, &ann_contact, &second).await.expect("removed after the warning");
        assert!(accounts_of(&state, &ann).await.is_empty(), "[{label}]");
        let refused = remove_account(&state, &pat, &ann_contact, &second).await;
        assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] no longer assigned");
        assert_eq!(
            audit_actions(&state, &ann).await,
            ["user.account_assigned", "user.account_removed", "user.account_removed"],
            "[{label}]"
        );
        let before = one(
            &state,
            "SELECT before_value FROM audit_log WHERE action = 'user.account_removed' AND before_value LIKE '%\"primary\":true%' \
             ORDER BY at LIMIT 1",
            &[],
        )
        .await;
        assert!(before.contains(&first), "[{label}] {before}");
    })
    .await;
}
