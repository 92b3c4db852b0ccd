//! Company administration's contacts (ADM-1, ADM-2, ADM-3, ADM-8), with the guard rails, the
//! audit rows (CON-5) and tenant isolation (SEC-5) at the use-case level. SQLite and PostgreSQL.

use app::backend::authz::{self, CompanyAdmin};
use app::backend::services::admin::contacts::{
    contacts, create_contact, register_login, send_invitation, update_contact, LoginOutcome,
};
use app::backend::store::contacts::StatusFilter;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::admin_contact::{ContactDetailsForm, ContactForm, LoginForm, LoginRules, NewContact};
use app::domain::ApproverKind::{PrimaryUsers, Universal};
use app::domain::{ConflictCode, NoCommonList, PasswordPolicy, Permission};
use app::testing::{
    colleague, company, count_rows, definition, exec, for_each_database, migrated_state, one, reset_password,
    route_user_type, set_setting, sign_in, strings, Company, BUSINESS_USER_ROLE, T0,
};

const TEMPORARY: &str = "quiet orchard lantern 42";

async fn admin_of(state: &AppState, user_id: &str) -> CompanyAdmin {
    authz::caller(state, user_id).await.expect("caller").company_admin(Permission::ManageContacts).expect("an admin")
}

fn policy() -> PasswordPolicy {
    PasswordPolicy { min_length: 12, hard_to_guess: true }
}

fn contact_form(first: &str, email: &str) -> ContactForm {
    ContactForm {
        first_name: first.into(),
        last_name: "Moreno".into(),
        email: email.into(),
        job_title: "Buyer".into(),
        contact_status: "active".into(),
        register_as_user: "no".into(),
        ..ContactForm::default()
    }
}

fn with_login(form: ContactForm, username: &str, user_type: &str, temporary: Option<&str>) -> ContactForm {
    ContactForm {
        register_as_user: "yes".into(),
        user_type: user_type.into(),
        username: username.into(),
        password_method: if temporary.is_some() { "temporary" } else { "invite" }.into(),
        temporary_password: temporary.unwrap_or_default().into(),
        ..form
    }
}

fn valid(form: &ContactForm) -> NewContact {
    form.validate(&policy(), &NoCommonList).expect("a valid form")
}

/// The token of the newest invitation link e-mailed to `address`.
async fn invitation_token(state: &AppState, address: &str) -> String {
    let body = one(
        state,
        "SELECT text_body FROM outbox WHERE recipient = $1 AND template = 'user_created' ORDER BY created_at DESC, id DESC LIMIT 1",
        &[address],
    )
    .await;
    let (_, rest) = body.split_once("/password/reset/").expect("a set-password link in the e-mail");
    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn audit_actions(state: &AppState, actor: &str) -> Vec<String> {
    strings(state, "SELECT action FROM audit_log WHERE actor_user_id = $1 ORDER BY at, action", &[actor]).await
}

// covers: ADM-2, LOG-6, NOT-1, SEC-7, CON-5
#[tokio::test]
async fn an_invited_user_is_active_at_once_and_sets_a_password_from_the_link() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let pat = admin_of(&state, &acme.primary).await;
        let form = with_login(contact_form("Rita", "rita@example.com"), "rita.m", "company_business", None);
        let (contact_id, outcome) = create_contact(&state, &pat, valid(&form)).await.expect("created");
        assert_eq!(outcome, Some(LoginOutcome::Active), "[{label}] the company definition's only step is Pat's");
        let user = one(&state, "SELECT id FROM users WHERE contact_id = $1", &[&contact_id]).await;
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&user]).await, "active", "[{label}]");
        let roles = strings(&state, "SELECT role_id FROM user_roles WHERE user_id = $1", &[&user]).await;
        assert_eq!(roles, vec![BUSINESS_USER_ROLE.to_owned()], "[{label}] the user type's roles");
        let account =
            one(&state, "SELECT account_id FROM account_assignments WHERE user_id = $1 AND is_primary = 1", &[&user])
                .await;
        assert_eq!(
            account,
            one(&state, "SELECT id FROM accounts WHERE organization_id = $1", &[&acme.org]).await,
            "[{label}]"
        );
        let decisions = strings(
            &state,
            "SELECT d.decided_by FROM request_decisions d JOIN requests r ON r.id = d.request_id WHERE r.user_id = $1",
            &[&user],
        )
        .await;
        assert_eq!(decisions, vec![acme.primary.clone()], "[{label}] Pat's own step is recorded as decided by Pat");

        let body = one(&state, "SELECT text_body FROM outbox WHERE template = 'user_created'", &[]).await;
        assert!(body.contains("rita.m"), "[{label}] the e-mail names the username");
        assert!(
            matches!(sign_in(&state, "rita.m", TEMPORARY).await, Err(ServiceError::SignInFailed)),
            "[{label}] no password yet"
        );
        let token = invitation_token(&state, "rita@example.com").await;
        reset_password(&state, &token, "harbor violet mosaic 9", "harbor violet mosaic 9").await.expect("password set");
        assert!(sign_in(&state, "rita.m", "harbor violet mosaic 9").await.is_ok(), "[{label}] Rita signs in");
        assert!(
            reset_password(&state, &token, "another good phrase 8", "another good phrase 8").await.is_err(),
            "[{label}] single use"
        );
        let actions = audit_actions(&state, &acme.primary).await;
        assert!(
            actions.contains(&"contact.created".to_owned()) && actions.contains(&"user.created".to_owned()),
            "[{label}] {actions:?}"
        );
    })
    .await;
}

// covers: ADM-2, LOG-3, SEC-7
#[tokio::test]
async fn a_temporary_password_must_be_changed_and_is_never_e_mailed() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let pat = admin_of(&state, &acme.primary).await;
        let form = with_login(contact_form("Sam", "sam@example.com"), "sam.k", "company_business", Some(TEMPORARY));
        create_contact(&state, &pat, valid(&form)).await.expect("created");
        let signed_in = sign_in(&state, "sam.k", TEMPORARY).await.expect("signs in");
        let caller = authz::caller(&state, &signed_in.user_id).await.expect("caller");
        assert!(caller.must_change_password(), "[{label}] LOG-3");
        assert!(caller.signed_in().is_err(), "[{label}] nothing else until it is changed");
        let body = one(&state, "SELECT text_body FROM outbox WHERE template = 'user_created'", &[]).await;
        assert!(!body.contains(TEMPORARY), "[{label}] SEC-7");
        assert!(!body.contains("/password/reset/"), "[{label}] no link for a temporary password");
    })
    .await;
}

// covers: ADM-2, APR-2
#[tokio::test]
async fn steps_above_the_primary_user_keep_the_new_user_pending_for_them() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let two_steps = definition(&state, &[(PrimaryUsers, None, None), (Universal, None, None)]).await;
        route_user_type(&state, "company_business", &two_steps).await;
        let pat = admin_of(&state, &acme.primary).await;
        let form = with_login(contact_form("Rita", "rita@example.com"), "rita.m", "company_business", None);
        let (contact_id, outcome) = create_contact(&state, &pat, valid(&form)).await.expect("created");
        assert_eq!(outcome, Some(LoginOutcome::Pending), "[{label}]");
        let user = one(&state, "SELECT id FROM users WHERE contact_id = $1", &[&contact_id]).await;
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&user]).await, "pending", "[{label}]");
        let step = one(
            &state,
            "SELECT CAST(current_step AS TEXT) FROM requests WHERE user_id = $1 AND status = 'pending'",
            &[&user],
        )
        .await;
        assert_eq!(step, "2", "[{label}] waiting at the step above Pat");
        assert_eq!(count_rows(&state.db, "user_roles").await, 1, "[{label}] no roles before approval (only Pat's)");

        // The universal approver approves the last step: the account chosen at creation stays
        // the only, primary one.
        let admin = app::testing::universal_approver(&state).await;
        let request = one(&state, "SELECT id FROM requests WHERE user_id = $1", &[&user]).await;
        app::backend::services::approvals::approve(&state, &admin, &request, "", &[]).await.expect("approved");
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&user]).await, "active", "[{label}]");
        let assigned =
            strings(&state, "SELECT CAST(is_primary AS TEXT) FROM account_assignments WHERE user_id = $1", &[&user])
                .await;
        assert_eq!(assigned, vec!["1".to_owned()], "[{label}] one primary account");
    })
    .await;
}

// covers: ADM-8, ADM-2
#[tokio::test]
async fn with_the_setting_off_no_login_is_created_and_contacts_stay_editable() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        set_setting(&state, "primary_users_manage_users", "0").await;
        let pat = admin_of(&state, &acme.primary).await;
        let (persons, users) = (count_rows(&state.db, "persons").await, count_rows(&state.db, "users").await);
        let form = with_login(contact_form("Rita", "rita@example.com"), "rita.m", "company_business", None);
        assert!(matches!(create_contact(&state, &pat, valid(&form)).await, Err(ServiceError::Forbidden)), "[{label}]");
        assert_eq!(count_rows(&state.db, "persons").await, persons, "[{label}] nothing written");
        assert_eq!(count_rows(&state.db, "users").await, users, "[{label}] nothing written");
        let (contact_id, outcome) =
            create_contact(&state, &pat, valid(&contact_form("Rita", "rita@example.com"))).await.expect("a contact");
        assert_eq!(outcome, None, "[{label}]");
        let login = LoginForm {
            user_type: "company_business".into(),
            username: "rita.m".into(),
            password_method: "invite".into(),
            ..LoginForm::default()
        };
        let rules = LoginRules { policy: &policy(), common: &NoCommonList, first_name: "Rita", last_name: "Moreno" };
        let refused = register_login(&state, &pat, &contact_id, login.validate(&rules).unwrap()).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] converting is refused too");
        let change = ContactDetailsForm {
            first_name: "Rita".into(),
            last_name: "Moreno-Diaz".into(),
            email: "rita@example.com".into(),
            contact_status: "active".into(),
            ..ContactDetailsForm::default()
        };
        update_contact(&state, &pat, &contact_id, change.validate(false, false).unwrap())
            .await
            .expect("still editable");
        let name = one(
            &state,
            "SELECT p.last_name FROM contacts c JOIN persons p ON p.id = c.person_id WHERE c.id = $1",
            &[&contact_id],
        )
        .await;
        assert_eq!(name, "Moreno-Diaz", "[{label}]");
        set_setting(&state, "primary_users_manage_users", "1").await;
        register_login(&state, &pat, &contact_id, login.validate(&rules).unwrap()).await.expect("converted (ADM-3)");
        assert_eq!(
            one(&state, "SELECT username FROM users WHERE contact_id = $1", &[&contact_id]).await,
            "rita.m",
            "[{label}]"
        );
    })
    .await;
}

/// The contact id of `user`.
async fn contact_of(state: &AppState, user: &str) -> String {
    one(state, "SELECT contact_id FROM users WHERE id = $1", &[user]).await
}

fn details_of(first: &str, status: &str, user_status: &str, end: &str) -> ContactDetailsForm {
    ContactDetailsForm {
        first_name: first.into(),
        last_name: "Lee".into(),
        email: "ann@example.com".into(),
        contact_status: status.into(),
        user_status: user_status.into(),
        end_date: end.into(),
        ..ContactDetailsForm::default()
    }
}

// covers: ADM-3, SEC-2, CON-5
#[tokio::test]
async fn an_inactive_or_ended_login_loses_its_sessions_at_once() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let contact = contact_of(&state, &ann).await;
        exec(
            &state,
            "INSERT INTO sessions (id, data, user_id, expiry_date) VALUES ('s-ann', '{}', $1, 9999999999999)",
            &[&ann],
        )
        .await;
        let pat = admin_of(&state, &acme.primary).await;
        let change = details_of("Ann", "active", "inactive", "").validate(true, false).unwrap();
        update_contact(&state, &pat, &contact, change).await.expect("saved");
        assert_eq!(one(&state, "SELECT status FROM users WHERE id = $1", &[&ann]).await, "inactive", "[{label}]");
        assert!(
            strings(&state, "SELECT id FROM sessions WHERE user_id = $1", &[&ann]).await.is_empty(),
            "[{label}] sessions ended"
        );
        assert!(authz::caller(&state, &ann).await.is_err(), "[{label}] the login stops working");

        let active_again = details_of("Ann", "active", "active", "2027-01-14").validate(true, false).unwrap();
        exec(
            &state,
            "INSERT INTO sessions (id, data, user_id, expiry_date) VALUES ('s-ann2', '{}', $1, 9999999999999)",
            &[&ann],
        )
        .await;
        update_contact(&state, &pat, &contact, active_again).await.expect("saved");
        assert!(
            strings(&state, "SELECT id FROM sessions WHERE user_id = $1", &[&ann]).await.is_empty(),
            "[{label}] an end date in the past ends them too"
        );
        let actions = audit_actions(&state, &acme.primary).await;
        assert_eq!(actions.iter().filter(|a| *a == "contact.updated").count(), 2, "[{label}] {actions:?}");
        let before =
            one(&state, "SELECT before_value FROM audit_log WHERE action = 'contact.updated' ORDER BY at LIMIT 1", &[])
                .await;
        assert!(before.contains("\"user_status\":\"active\""), "[{label}] before/after kept: {before}");
    })
    .await;
}

// covers: ADM-3, ADM-4
#[tokio::test]
async fn a_company_keeps_an_active_administrator_and_nobody_changes_their_own_access() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        // A contact manager who is not an administrator (a custom role with MANAGE_CONTACTS).
        exec(&state, "INSERT INTO roles (id, key, name, organization_id, is_seeded, created_at) VALUES ('r-cm', NULL, 'Contact manager', $1, 0, 0)", &[&acme.org]).await;
        exec(&state, "INSERT INTO role_permissions (role_id, permission_code) VALUES ('r-cm', 'MANAGE_CONTACTS')", &[]).await;
        let carl = colleague(&state, &acme, "carl.m", Some("r-cm")).await;
        let carl_admin = admin_of(&state, &carl).await;
        let pat_contact = contact_of(&state, &acme.primary).await;
        let users_before = strings(&state, "SELECT status FROM users ORDER BY id", &[]).await;
        let deactivate = details_of("Pat", "active", "inactive", "").validate(true, false).unwrap();
        let refused = update_contact(&state, &carl_admin, &pat_contact, deactivate.clone()).await;
        assert!(matches!(refused, Err(ServiceError::Conflict(ConflictCode::LastAdministrator))), "[{label}] {refused:?}");
        let pat = admin_of(&state, &acme.primary).await;
        let own = update_contact(&state, &pat, &pat_contact, deactivate).await;
        assert!(matches!(own, Err(ServiceError::Conflict(ConflictCode::OwnAccess))), "[{label}] {own:?}");
        assert_eq!(strings(&state, "SELECT status FROM users ORDER BY id", &[]).await, users_before, "[{label}] nothing changed");
    })
    .await;
}

// covers: ADM-1, SEC-5
#[tokio::test]
async fn the_list_is_the_company_s_own_without_the_caller_searched_and_paged() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "gus.globex").await;
        let pat = admin_of(&state, &acme.primary).await;
        for i in 0..27 {
            let form = contact_form(&format!("Person{i:02}"), &format!("p{i}@example.com"));
            create_contact(&state, &pat, valid(&form)).await.expect("created");
        }
        let gus = admin_of(&state, &globex.primary).await;
        create_contact(&state, &gus, valid(&contact_form("Globexer", "g@example.com"))).await.expect("created");
        let first = contacts(&state, &pat, None, StatusFilter::All, 1).await.unwrap();
        assert_eq!((first.rows.len(), first.has_next), (25, true), "[{label}]");
        let second = contacts(&state, &pat, None, StatusFilter::All, 2).await.unwrap();
        assert_eq!((second.rows.len(), second.has_next), (2, false), "[{label}] 27 contacts, Pat not among them");
        let names: Vec<String> = first.rows.iter().chain(&second.rows).map(|r| r.first_name.clone()).collect();
        assert!(!names.iter().any(|n| n == "Pat" || n == "Globexer"), "[{label}] {names:?}");
        let found = contacts(&state, &pat, Some("person1"), StatusFilter::All, 1).await.unwrap();
        assert_eq!(found.rows.len(), 10, "[{label}] Person10 … Person19");
        let by_email = contacts(&state, &pat, Some("P26@"), StatusFilter::All, 1).await.unwrap();
        assert_eq!(by_email.rows.iter().map(|r| r.first_name.as_str()).collect::<Vec<_>>(), ["Person26"], "[{label}]");
        let wildcard = contacts(&state, &pat, Some("%"), StatusFilter::All, 1).await.unwrap();
        assert!(wildcard.rows.is_empty(), "[{label}] % is taken literally");
        let inactive = contacts(&state, &pat, None, StatusFilter::Inactive, 1).await.unwrap();
        assert!(inactive.rows.is_empty(), "[{label}]");

        let globex_contact = one(
            &state,
            "SELECT c.id FROM contacts c JOIN persons p ON p.id = c.person_id WHERE p.first_name = 'Globexer'",
            &[],
        )
        .await;
        let change = details_of("Hijacked", "inactive", "", "").validate(false, false).unwrap();
        let refused = update_contact(&state, &pat, &globex_contact, change).await;
        assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] another company's contact: {refused:?}");
        assert!(
            matches!(send_invitation(&state, &pat, &globex_contact).await, Err(ServiceError::NotFound)),
            "[{label}]"
        );
        let unchanged = one(
            &state,
            "SELECT p.first_name FROM contacts c JOIN persons p ON p.id = c.person_id WHERE c.id = $1",
            &[&globex_contact],
        )
        .await;
        assert_eq!(unchanged, "Globexer", "[{label}]");

        let ann = colleague(&state, &acme, "ann.lee", None).await;
        let business = authz::caller(&state, &ann).await.unwrap().company_admin(Permission::ManageContacts);
        assert!(matches!(business, Err(ServiceError::Forbidden)), "[{label}] a business user is no administrator");
    })
    .await;
}

/// The first names the company administrator's search for `prefix` finds, in list order.
async fn found(state: &AppState, admin: &CompanyAdmin, prefix: &str) -> Vec<String> {
    let page = contacts(state, admin, Some(prefix), StatusFilter::All, 1).await.expect("a search");
    page.rows.into_iter().map(|r| r.first_name).collect()
}

// covers: ADM-1, SEC-5
#[tokio::test]
async fn the_search_follows_every_change_to_names_logins_addresses_and_companies() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "gus.globex").await;
        let (pat, gus) = (admin_of(&state, &acme.primary).await, admin_of(&state, &globex.primary).await);
        create_contact(&state, &pat, valid(&contact_form("Ann", "ann@example.com"))).await.expect("created");
        let bea = with_login(contact_form("Bea", "bea@example.com"), "bea.login", "company_business", None);
        create_contact(&state, &pat, valid(&bea)).await.expect("created");
        assert_eq!(found(&state, &pat, "MOR").await, ["Ann", "Bea"], "[{label}] last name, any case");
        assert_eq!(found(&state, &pat, "ann@").await, ["Ann"], "[{label}] e-mail address");
        assert_eq!(found(&state, &pat, "bea.l").await, ["Bea"], "[{label}] username");
        assert!(found(&state, &pat, "o").await.is_empty(), "[{label}] a prefix, not a substring");
        exec(&state, "UPDATE contacts SET status = 'inactive' WHERE person_id IN (SELECT id FROM persons WHERE first_name = 'Ann')", &[])
            .await;
        let inactive = contacts(&state, &pat, Some("mor"), StatusFilter::Inactive, 1).await.expect("a search");
        let inactive: Vec<String> = inactive.rows.into_iter().map(|r| r.first_name).collect();
        assert_eq!(inactive, ["Ann"], "[{label}] a prefix and a status filter");
        let active = contacts(&state, &pat, Some("mor"), StatusFilter::Active, 1).await.expect("a search");
        assert_eq!(active.rows.len(), 1, "[{label}] Bea alone");
        assert_eq!(active.rows[0].username.as_deref(), Some("bea.login"), "[{label}]");

        exec(&state, "UPDATE persons SET last_name = 'Zeller' WHERE first_name = 'Ann'", &[]).await;
        assert_eq!(found(&state, &pat, "mor").await, ["Bea"], "[{label}] renamed");
        assert_eq!(found(&state, &pat, "zel").await, ["Ann"], "[{label}]");

        exec(&state, "UPDATE email_addresses SET address = 'anna@corp.test' WHERE address = 'ann@example.com'", &[])
            .await;
        assert!(found(&state, &pat, "ann@").await.is_empty(), "[{label}] the old address is gone");
        assert_eq!(found(&state, &pat, "anna@corp").await, ["Ann"], "[{label}]");
        exec(&state, "DELETE FROM email_addresses WHERE address = 'anna@corp.test'", &[]).await;
        assert!(found(&state, &pat, "anna@").await.is_empty(), "[{label}] a deleted address");

        exec(&state, "UPDATE users SET username = 'bee', lower_username = 'bee' WHERE username = 'bea.login'", &[])
            .await;
        assert!(found(&state, &pat, "bea.").await.is_empty(), "[{label}] the old username");
        assert_eq!(found(&state, &pat, "bee").await, ["Bea"], "[{label}] the new username");
        exec(&state, &format!("UPDATE users SET released_at = {T0} WHERE username = 'bee'"), &[]).await;
        assert!(
            found(&state, &pat, "bee").await.is_empty(),
            "[{label}] a released username is no longer the contact's"
        );

        let ann = one(
            &state,
            "SELECT c.id FROM contacts c JOIN persons p ON p.id = c.person_id WHERE p.first_name = 'Ann'",
            &[],
        )
        .await;
        exec(&state, "UPDATE contacts SET organization_id = $1 WHERE id = $2", &[&globex.org, &ann]).await;
        assert!(found(&state, &pat, "zel").await.is_empty(), "[{label}] another company's contact");
        assert_eq!(found(&state, &gus, "zel").await, ["Ann"], "[{label}]");
    })
    .await;
}

// covers: ADM-2, REG-8
#[tokio::test]
async fn a_taken_username_or_a_foreign_account_is_refused_next_to_its_field_with_nothing_written() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex: Company = company(&state, "Globex", "gus.globex").await;
        let pat = admin_of(&state, &acme.primary).await;
        let persons = count_rows(&state.db, "persons").await;
        let taken = with_login(contact_form("Rita", "rita@example.com"), "PAT.OWNER", "company_business", None);
        let err = create_contact(&state, &pat, valid(&taken)).await.unwrap_err();
        assert!(matches!(&err, ServiceError::Validation(f) if f[0].field == "username"), "[{label}] {err:?}");
        let foreign_account = one(&state, "SELECT id FROM accounts WHERE organization_id = $1", &[&globex.org]).await;
        let mut other = with_login(contact_form("Rita", "rita@example.com"), "rita.m", "company_business", None);
        other.account_id = foreign_account;
        let err = create_contact(&state, &pat, valid(&other)).await.unwrap_err();
        assert!(matches!(&err, ServiceError::Validation(f) if f[0].field == "account_id"), "[{label}] {err:?}");
        let partner_type = with_login(contact_form("Rita", "rita@example.com"), "rita.m", "individual", None);
        let err = create_contact(&state, &pat, valid(&partner_type)).await.unwrap_err();
        assert!(matches!(&err, ServiceError::Validation(f) if f[0].field == "user_type"), "[{label}] {err:?}");
        assert_eq!(count_rows(&state.db, "persons").await, persons, "[{label}] nothing written");
    })
    .await;
}
