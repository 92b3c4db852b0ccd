//! The company profile (PRO-5), its addresses and administrators (PRO-6): read by every
//! business user holding ORG_DETAILS, changed only with UPDATE_ORG_DETAILS and only for the
//! caller's own organization (SEC-5), audited. SQLite and PostgreSQL.

use app::backend::authz::{caller, CompanyAdmin};
use app::backend::services::company_profile::{administrators, company_profile, update_company_profile};
use app::backend::services::contact_book::{self as book, AddressBook};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::{AddressForm, AddressUsage, CompanyProfileForm, Language, Permission};
use app::testing::{
    colleague, company, count_rows, for_each_database, migrated_state, one, person, register, second_primary_user,
    strings, T0,
};

async fn admin(state: &AppState, user_id: &str, permission: Permission) -> Result<CompanyAdmin, ServiceError> {
    caller(state, user_id).await.expect("caller").company_admin(permission)
}

fn profile(name: &str) -> app::domain::CompanyProfile {
    CompanyProfileForm {
        company_name: name.into(),
        website: "acme.example".into(),
        annual_revenue: "2,500,000".into(),
        company_phone: "+1 415 555 0100".into(),
    }
    .validate(false)
    .expect("valid")
}

// covers: PRO-5
#[tokio::test]
async fn the_primary_user_edits_the_company_profile_with_an_audit_row() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let pat = admin(&state, &acme.primary, Permission::UpdateOrgDetails).await.expect("primary user");
        update_company_profile(&state, &pat, &profile("Acme Tools Ltd")).await.expect("saved");
        let view = company_profile(&state, &pat).await.expect("read");
        assert_eq!(view.name, "Acme Tools Ltd", "[{label}]");
        assert_eq!(view.website.as_deref(), Some("https://acme.example"), "[{label}]");
        assert_eq!(view.annual_revenue, Some(2_500_000), "[{label}]");
        assert_eq!(view.phone.as_deref(), Some("+1 415 555 0100"), "[{label}]");
        assert_eq!(view.registry_id, acme.registry_id, "[{label}] the Registry ID never changes");
        assert!(view.editable, "[{label}]");
        let audit = strings(
            &state,
            "SELECT after_value FROM audit_log WHERE action = 'organization.profile_updated' AND subject_id = $1",
            &[&acme.org],
        )
        .await;
        assert_eq!(audit.len(), 1, "[{label}]");
        assert!(audit[0].contains("Acme Tools Ltd"), "[{label}] {}", audit[0]);
    })
    .await;
}

// covers: PRO-5, ADM-9, SEC-5
#[tokio::test]
async fn a_business_user_reads_the_profile_but_cannot_change_it() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let reader = admin(&state, &ann, Permission::OrgDetails).await.expect("a business user holds ORG_DETAILS");
        let view = company_profile(&state, &reader).await.expect("read");
        assert_eq!(view.name, "Acme Tools", "[{label}]");
        assert!(!view.editable, "[{label}] read-only for a business user");
        assert!(
            matches!(admin(&state, &ann, Permission::UpdateOrgDetails).await, Err(ServiceError::Forbidden)),
            "[{label}] no UPDATE_ORG_DETAILS capability"
        );
        let audits = count_rows(&state.db, "audit_log").await;
        let refused = update_company_profile(&state, &reader, &profile("Ann's Company")).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {refused:?}");
        let address = AddressForm {
            address_line1: "9 Side St".into(),
            city: "X".into(),
            postal_code: "12345".into(),
            country: "US".into(),
            usages: vec!["billing".into()],
            ..Default::default()
        }
        .validate()
        .unwrap();
        let refused = book::add_address(&state, AddressBook::Company(&reader), &address).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {refused:?}");
        assert_eq!(one(&state, "SELECT name FROM organizations WHERE id = $1", &[&acme.org]).await, "Acme Tools");
        assert_eq!(count_rows(&state.db, "audit_log").await, audits, "[{label}] nothing written");

        let user = register(&state, "individual", &person("ind.ivy", "Ivy"), Language::English).await.unwrap().user_id;
        assert!(
            matches!(admin(&state, &user, Permission::OrgDetails).await, Err(ServiceError::Forbidden)),
            "[{label}] an individual has no company"
        );
    })
    .await;
}

// covers: PRO-5, SEC-5
#[tokio::test]
async fn a_primary_user_reaches_only_their_own_companys_addresses() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        let kim = admin(&state, &globex.primary, Permission::UpdateOrgDetails).await.unwrap();
        let pat = admin(&state, &acme.primary, Permission::UpdateOrgDetails).await.unwrap();
        update_company_profile(&state, &kim, &profile("Globex Corp")).await.unwrap();
        assert_eq!(company_profile(&state, &pat).await.unwrap().name, "Acme Tools", "[{label}] untouched");

        let acmes = book::address_book(&state, AddressBook::Company(&pat)).await.unwrap();
        assert_eq!(acmes.len(), 1, "[{label}] the registration address (REG-6)");
        assert_eq!(acmes[0].usages, vec![(AddressUsage::Billing, true), (AddressUsage::Shipping, true)]);
        let acme_address = &acmes[0].id;
        let kims = AddressBook::Company(&kim);
        for answer in [
            format!("{:?}", book::address(&state, kims, acme_address).await.err()),
            format!("{:?}", book::remove_address(&state, kims, acme_address).await.err()),
            format!("{:?}", book::prefer_address(&state, kims, acme_address, AddressUsage::Billing).await.err()),
        ] {
            assert_eq!(answer, "Some(NotFound)", "[{label}] another company's address is unknown");
        }
        assert_eq!(book::address_book(&state, AddressBook::Company(&pat)).await.unwrap(), acmes, "[{label}]");
    })
    .await;
}

// covers: PRO-6, SEC-5
#[tokio::test]
async fn administrators_are_the_companys_own_primary_users() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        company(&state, "Globex", "kim.owner").await;
        colleague(&state, &acme, "ann.lee", None).await;
        second_primary_user(&state, &acme, "zed.second").await;
        let ann = colleague(&state, &acme, "ann.reader", None).await;
        let reader = admin(&state, &ann, Permission::OrgAdministrators).await.expect("business users hold it");
        let names: Vec<String> =
            administrators(&state, &reader).await.unwrap().into_iter().map(|a| a.username).collect();
        // Both are "… Lee": Ann (zed.second) comes before Pat by first name.
        assert_eq!(names, ["zed.second", "pat.owner"], "[{label}] only Acme's primary users, by name");
    })
    .await;
}
