//! Role Management (ADM-7): a company's custom roles are created, edited and deleted by its
//! administrators holding MANAGE_ROLES, only from their own permissions, with names unique
//! within the company; seeded roles and other companies' roles are out of reach (SEC-5);
//! holders see a change on their next request; every change audited (CON-5). SQLite and
//! PostgreSQL.

use app::backend::error::ServiceError;
use app::backend::services::admin::roles::{create_role, custom_role, delete_role, role_management, update_role};
use app::backend::services::admin::user_roles::grant_role;
use app::backend::{AppState, TestClock};
use app::domain::{message_for, Permission, RoleDefinition, RoleForm};
use app::testing::{
    audit_actions, colleague, company, company_admin, contact_of, count_rows, custom_role_of, for_each_database,
    limited_admin, menu_links_to, migrated_state, one, roles_of, BUSINESS_USER_ROLE, PRIMARY_USER_ROLE, T0,
};

fn form(name: &str, permissions: &[Permission]) -> RoleForm {
    RoleForm {
        name: name.into(),
        description: "Buyers of the north office".into(),
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
    }
}

fn definition(name: &str, permissions: &[Permission]) -> RoleDefinition {
    RoleDefinition { name: name.into(), description: None, permissions: permissions.to_vec() }
}

async fn role_counts(state: &AppState) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["roles", "role_permissions", "user_roles", "audit_log"] {
        counts.push(count_rows(&state.db, table).await);
    }
    counts
}

// covers: ADM-7, ADM-9, CON-5
#[tokio::test]
async fn a_custom_role_is_created_edited_and_deleted_and_its_holders_follow_on_their_next_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let pat = company_admin(&state, &acme.primary, Permission::ManageRoles).await.unwrap();

        let role = form("Order desk", &[Permission::OrgDetails]).validate(pat.permissions()).unwrap();
        let id = create_role(&state, &pat, &role).await.expect("created");
        let listed = role_management(&state, &pat).await.unwrap();
        let names: Vec<(&str, bool, bool)> =
            listed.iter().map(|r| (r.role.name.as_str(), r.role.is_seeded, r.editable)).collect();
        assert_eq!(
            names,
            [
                ("Business User", true, false),
                ("Partner Business User", true, false),
                ("Partner Primary User", true, false),
                ("Primary User", true, false),
                ("Order desk", false, true),
            ],
            "[{label}] seeded roles read-only, then the company's own"
        );
        let pat_contacts = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();
        grant_role(&state, &pat_contacts, &contact_of(&state, &ann).await, &id).await.expect("granted");
        assert!(!menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}]");

        let wider = form("Order desk", &[Permission::OrgDetails, Permission::PendingApprovals])
            .validate(pat.permissions())
            .unwrap();
        update_role(&state, &pat, &id, &wider).await.expect("saved");
        assert!(menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] the holder's next request");
        let (stored, holders) = custom_role(&state, &pat, &id).await.unwrap();
        assert_eq!(stored.permissions, [Permission::PendingApprovals, Permission::OrgDetails], "[{label}]");
        assert_eq!(stored.description.as_deref(), Some("Buyers of the north office"), "[{label}]");
        assert_eq!(holders, 1, "[{label}] the delete confirmation says so");

        assert_eq!(delete_role(&state, &pat, &id).await.unwrap(), "Order desk", "[{label}]");
        assert!(!menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] gone with the role");
        assert_eq!(roles_of(&state, &ann).await, [BUSINESS_USER_ROLE], "[{label}] its grants went too");
        assert_eq!(audit_actions(&state, &id).await, ["role.created", "role.deleted", "role.updated"], "[{label}]");
        let before = one(&state, "SELECT before_value FROM audit_log WHERE action = 'role.updated'", &[]).await;
        let after = one(&state, "SELECT after_value FROM audit_log WHERE action = 'role.updated'", &[]).await;
        assert!(!before.contains("PENDING_APPROVALS") && after.contains("PENDING_APPROVALS"), "[{label}]");
        let deleted = one(&state, "SELECT before_value FROM audit_log WHERE action = 'role.deleted'", &[]).await;
        assert!(deleted.contains("\"holders\":1"), "[{label}] {deleted}");
    })
    .await;
}

// covers: ADM-7
#[tokio::test]
async fn a_role_name_is_unique_within_the_company_whatever_its_case() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let pat = company_admin(&state, &acme.primary, Permission::ManageRoles).await.unwrap();
        let kim = company_admin(&state, &globex.primary, Permission::ManageRoles).await.unwrap();
        let buyers = create_role(&state, &pat, &definition("Buyers", &[Permission::OrgDetails])).await.unwrap();
        let before = role_counts(&state).await;
        let taken = create_role(&state, &pat, &definition("BUYERS", &[Permission::OrgDetails])).await;
        match taken {
            Err(ServiceError::Validation(errors)) => {
                assert_eq!(message_for(&errors, "name"), Some("A role with this name already exists"), "[{label}]")
            }
            other => panic!("[{label}] {other:?}"),
        }
        assert_eq!(role_counts(&state).await, before, "[{label}] nothing saved");
        let sellers = create_role(&state, &pat, &definition("Sellers", &[Permission::OrgDetails])).await.unwrap();
        let renamed = update_role(&state, &pat, &sellers, &definition("buyers", &[Permission::OrgDetails])).await;
        assert!(matches!(renamed, Err(ServiceError::Validation(_))), "[{label}] {renamed:?}");
        update_role(&state, &pat, &buyers, &definition("buyers", &[Permission::OrgDetails]))
            .await
            .expect("a role may change the case of its own name");
        create_role(&state, &kim, &definition("Buyers", &[Permission::OrgDetails]))
            .await
            .expect("another company may use the name");
    })
    .await;
}

// covers: ADM-7, SEC-5
#[tokio::test]
async fn no_permission_beyond_the_authors_and_no_seeded_or_foreign_role_is_changed() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let lee = limited_admin(&state, &acme, "lee.roles", &[Permission::ManageRoles]).await;
        let lee = company_admin(&state, &lee, Permission::ManageRoles).await.unwrap();
        let wide = custom_role_of(&state, &acme.org, "Contact managers", &[Permission::ManageContacts]).await;
        let theirs = custom_role_of(&state, &globex.org, "Globex desk", &[Permission::OrgDetails]).await;
        let before = role_counts(&state).await;

        let errors = form("Managers", &[Permission::ManageContacts]).validate(lee.permissions()).unwrap_err();
        assert_eq!(message_for(&errors, "permissions"), Some("Choose only permissions you hold yourself"));
        let refused = create_role(&state, &lee, &definition("Managers", &[Permission::ManageContacts])).await;
        assert!(matches!(refused, Err(ServiceError::Validation(_))), "[{label}] the use case checks it too");
        let listed = role_management(&state, &lee).await.unwrap();
        let wide_row = listed.iter().find(|r| r.role.id == wide).expect("listed");
        assert!(!wide_row.editable, "[{label}] wider than Lee");
        let mine = definition("Desk", &[Permission::OrgDetails]);
        for (role_id, expected) in [
            (wide.as_str(), "Forbidden"),
            (theirs.as_str(), "NotFound"),
            (PRIMARY_USER_ROLE, "NotFound"),
            (BUSINESS_USER_ROLE, "NotFound"),
            ("no-such-role", "NotFound"),
        ] {
            let answers = [
                format!("{:?}", update_role(&state, &lee, role_id, &mine).await.err()),
                format!("{:?}", delete_role(&state, &lee, role_id).await.err()),
                format!("{:?}", custom_role(&state, &lee, role_id).await.err()),
            ];
            for answer in answers {
                assert_eq!(answer, format!("Some({expected})"), "[{label}] {role_id}");
            }
        }
        assert_eq!(role_counts(&state).await, before, "[{label}] nothing changed");
        assert_eq!(one(&state, "SELECT name FROM roles WHERE id = $1", &[&theirs]).await, "Globex desk", "[{label}]");

        // A business user holds no MANAGE_ROLES.
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let refused = company_admin(&state, &ann, Permission::ManageRoles).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}]");
        // A contact manager without MANAGE_ROLES is refused by the use case too.
        let pat_contacts = company_admin(&state, &acme.primary, Permission::ManageContacts).await.unwrap();
        let mia = limited_admin(&state, &acme, "mia.contacts", &[Permission::ManageContacts]).await;
        let mia = company_admin(&state, &mia, Permission::ManageContacts).await.unwrap();
        let refused = create_role(&state, &mia, &mine).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {refused:?}");
        assert!(role_management(&state, &pat_contacts).await.is_ok(), "[{label}] Pat holds every permission");
    })
    .await;
}
