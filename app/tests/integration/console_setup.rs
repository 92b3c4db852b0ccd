//! CON-2 in the console: approval definitions and their ordered steps, approval groups and
//! their members, the merchant's roles, enrollments and sites. Routing follows an edited
//! definition for requests submitted afterwards, requests already waiting keep their steps, bad
//! input writes nothing, keys and names are unique, every change is audited (CON-5), and none of
//! it is for a customer (SEC-5). SQLite and PostgreSQL.

use app::backend::authz::{caller, merchant_approver, MerchantAdmin};
use app::backend::error::ServiceError;
use app::backend::services::approvals::{approve, Approved};
use app::backend::services::console::{approval_setup as setup, catalog, user_types};
use app::backend::services::enrollments::{request_enrollment, Enrolled};
use app::backend::{AppState, TestClock};
use app::domain::approval_setup::{
    GroupForm, GroupInput, GroupScope, NewDefinition, OrganizationRef, StepApprover, StepMove, KEY_TAKEN,
};
use app::domain::catalog::{EnrollmentInput, MerchantRole, MerchantRoleForm, SiteInput};
use app::domain::{message_for, ApproverKind, FieldError, Permission, RegistryId, Username};
use app::testing::{
    approver, colleague, company, count_rows, custom_role_of, definition, for_each_database, mails, menu_links_to,
    migrated_state, one, queue, ready_merchant_admin, route_user_type, second_primary_user, staff, status_of, strings,
    Company, BUSINESS_USER_ROLE, DEFAULT_DEFINITION, PRIMARY_USER_ROLE, T0,
};

async fn console_admin(state: &AppState) -> MerchantAdmin {
    let id = ready_merchant_admin(state).await;
    caller(state, &id).await.unwrap().merchant_admin().expect("a merchant admin")
}

fn username(name: &str) -> Username {
    Username::parse(name).expect("a username")
}

/// (position, approver kind) of the definition's steps, in order.
async fn steps_of(state: &AppState, definition: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT position, approver_kind FROM approval_steps WHERE definition_id = $1 ORDER BY position")
        .bind(definition)
        .fetch_all(state.db.pool())
        .await
        .unwrap()
}

/// (definition, current step, step count) of a request.
async fn request_at(state: &AppState, request: &str) -> (String, i64, i64) {
    sqlx::query_as("SELECT definition_id, current_step, step_count FROM requests WHERE id = $1")
        .bind(request)
        .fetch_one(state.db.pool())
        .await
        .unwrap()
}

/// APR-2's invariant for every waiting request: its definition has a step at its current step
/// (unless it went past the last one to the universal approver), and exactly `step_count` steps.
async fn assert_no_request_points_at_a_missing_step(state: &AppState, label: &str) {
    let broken = strings(
        state,
        "SELECT r.id FROM requests r WHERE r.status = 'pending' AND ( \
           (r.rerouted_to_universal = 0 AND NOT EXISTS (SELECT 1 FROM approval_steps s \
              WHERE s.definition_id = r.definition_id AND s.position = r.current_step)) \
           OR r.step_count <> (SELECT COUNT(*) FROM approval_steps s WHERE s.definition_id = r.definition_id))",
        &[],
    )
    .await;
    assert!(broken.is_empty(), "[{label}] requests pointing at a removed step or past the last: {broken:?}");
}

fn field_errors<T: std::fmt::Debug>(result: Result<T, ServiceError>, label: &str) -> Vec<FieldError> {
    match result {
        Err(ServiceError::Validation(errors)) => errors,
        other => panic!("[{label}] expected field errors, got {other:?}"),
    }
}

/// Row counts of every table the set-up writes to.
async fn setup_counts(state: &AppState) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in [
        "approval_definitions",
        "approval_steps",
        "approval_groups",
        "approval_group_members",
        "roles",
        "role_permissions",
        "enrollments",
        "enrollment_roles",
        "sites",
        "requests",
        "audit_log",
    ] {
        counts.push((table, count_rows(&state.db, table).await));
    }
    counts
}

/// A group for Acme (by Registry ID) with `members`.
async fn acme_group(state: &AppState, admin: &MerchantAdmin, acme: &Company, members: &[&str]) -> String {
    let input = GroupInput {
        name: "Acme approvers".into(),
        scope: GroupScope::Organization(OrganizationRef::RegistryId(RegistryId::parse(&acme.registry_id).unwrap())),
    };
    let group = setup::create_group(state, admin, &input).await.expect("group");
    for member in members {
        setup::add_member(state, admin, &group, &username(member)).await.expect("member");
    }
    group
}

// covers: CON-2, APR-2, CON-5
#[tokio::test]
async fn steps_are_added_moved_and_removed_and_positions_stay_one_to_n() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let group = acme_group(&state, &admin, &acme, &[]).await;
        let new = NewDefinition { key: "three_steps".into(), name: "Three steps".into() };
        let id = setup::create_definition(&state, &admin, &new).await.expect("created");
        assert!(steps_of(&state, &id).await.is_empty(), "[{label}] a new definition has no steps");

        for step in [
            StepApprover::PrimaryUsers,
            StepApprover::User(username("Admin")),
            StepApprover::Group(group.clone()),
            StepApprover::Universal,
        ] {
            setup::add_step(&state, &admin, &id, &step).await.unwrap_or_else(|e| panic!("[{label}] {step:?}: {e:?}"));
        }
        let kinds = |steps: Vec<(i64, String)>| steps.into_iter().map(|(p, k)| format!("{p}:{k}")).collect::<Vec<_>>();
        assert_eq!(
            kinds(steps_of(&state, &id).await),
            ["1:primary_users", "2:user", "3:group", "4:universal"],
            "[{label}]"
        );
        let page = setup::definition(&state, &admin, &id).await.unwrap();
        assert_eq!(page.steps[1].username.as_deref(), Some("admin"), "[{label}] the named user by username");
        assert_eq!(page.steps[2].group_name.as_deref(), Some("Acme approvers"), "[{label}]");

        let step = |i: usize| page.steps[i].id.clone();
        setup::move_step(&state, &admin, &id, &step(2), StepMove::Up).await.unwrap();
        assert_eq!(
            kinds(steps_of(&state, &id).await),
            ["1:primary_users", "2:group", "3:user", "4:universal"],
            "[{label}]"
        );
        setup::move_step(&state, &admin, &id, &step(0), StepMove::Down).await.unwrap();
        assert_eq!(
            kinds(steps_of(&state, &id).await),
            ["1:group", "2:primary_users", "3:user", "4:universal"],
            "[{label}]"
        );
        let audits = count_rows(&state.db, "audit_log").await;
        setup::move_step(&state, &admin, &id, &step(2), StepMove::Up).await.unwrap();
        setup::move_step(&state, &admin, &id, &step(3), StepMove::Down).await.unwrap();
        assert_eq!(count_rows(&state.db, "audit_log").await, audits, "[{label}] the first up, the last down: nothing");
        setup::remove_step(&state, &admin, &id, &step(0)).await.unwrap();
        assert_eq!(kinds(steps_of(&state, &id).await), ["1:group", "2:user", "3:universal"], "[{label}] no gap");
        setup::remove_step(&state, &admin, &id, &step(2)).await.unwrap();
        assert_eq!(kinds(steps_of(&state, &id).await), ["1:user", "2:universal"], "[{label}]");
        let missing = setup::remove_step(&state, &admin, &id, &step(2)).await;
        assert!(matches!(missing, Err(ServiceError::NotFound)), "[{label}] {missing:?}");
        let foreign = setup::remove_step(&state, &admin, DEFAULT_DEFINITION, &step(1)).await;
        assert!(matches!(foreign, Err(ServiceError::NotFound)), "[{label}] another definition's step: {foreign:?}");

        let actions =
            strings(&state, "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY at, action", &[&id]).await;
        assert_eq!(actions.len(), 1 + 4 + 2 + 2, "[{label}] created, 4 added, 2 moves, 2 removals: {actions:?}");
        assert!(actions.iter().skip(1).all(|a| a == "approval_definition.steps_changed"), "[{label}] {actions:?}");
        let changes = strings(
            &state,
            "SELECT before_value || ' => ' || after_value FROM audit_log WHERE subject_id = $1 \
             AND action = 'approval_definition.steps_changed'",
            &[&id],
        )
        .await;
        assert!(
            changes.iter().any(|c| c.contains("\"approver\":\"group\"") && c.contains("\"username\":\"admin\"")),
            "[{label}] before and after name the steps' approvers: {changes:?}"
        );
        let admin_id = one(&state, "SELECT id FROM users WHERE lower_username = 'admin'", &[]).await;
        let actor = one(&state, "SELECT actor_user_id FROM audit_log WHERE subject_id = $1 LIMIT 1", &[&id]).await;
        assert_eq!(actor, admin_id, "[{label}] the admin is the actor");
    })
    .await;
}

// covers: CON-2, APR-2, APR-3, APR-4, NOT-1
#[tokio::test]
async fn a_group_step_added_to_the_company_definition_routes_the_next_staff_request_to_the_group() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let lee = second_primary_user(&state, &acme, "lee.chen").await;
        let (_, earlier) = staff(&state, &acme, "bob.early").await;
        let group = acme_group(&state, &admin, &acme, &["lee.chen"]).await;

        setup::add_step(&state, &admin, DEFAULT_DEFINITION, &StepApprover::Group(group.clone())).await.unwrap();
        let page = setup::definition(&state, &admin, DEFAULT_DEFINITION).await.unwrap();
        setup::move_step(&state, &admin, DEFAULT_DEFINITION, &page.steps[1].id, StepMove::Up).await.unwrap();
        let kinds: Vec<String> = steps_of(&state, DEFAULT_DEFINITION).await.into_iter().map(|(_, k)| k).collect();
        assert_eq!(kinds, ["group", "primary_users"], "[{label}]");

        sqlx::query("DELETE FROM outbox").execute(state.db.pool()).await.unwrap();
        let (ann, request) = staff(&state, &acme, "ann.lee").await;
        let (definition, step, count) = request_at(&state, &request).await;
        assert_eq!((definition.as_str(), step, count), (DEFAULT_DEFINITION, 1, 2), "[{label}] the new steps");
        assert_eq!(mails(&state, "approval_needed").await, ["lee.chen@example.com"], "[{label}] NOT-1: the group");
        let (pat, lee_approver) = (approver(&state, &acme.primary).await, approver(&state, &lee).await);
        assert!(queue(&state, &lee_approver).await.contains(&request), "[{label}] the member's Pending Approvals");
        assert!(!queue(&state, &pat).await.contains(&request), "[{label}] not the primary users' step yet");
        let console = merchant_approver(&state, admin.user_id()).await.unwrap();
        assert!(queue(&state, &console).await.contains(&request), "[{label}] APR-8: the console sees it");
        let rows = setup::definition(&state, &admin, DEFAULT_DEFINITION).await.unwrap().steps;
        assert_eq!(rows.iter().map(|s| s.waiting).collect::<Vec<_>>(), [1, 0], "[{label}] waiting at the group step");

        // The request submitted before the edit keeps its one step (the primary users).
        let (old_definition, old_step, old_count) = request_at(&state, &earlier).await;
        assert_ne!(old_definition, DEFAULT_DEFINITION, "[{label}] moved to an archived copy");
        assert_eq!((old_step, old_count), (1, 1), "[{label}]");
        assert!(queue(&state, &pat).await.contains(&earlier), "[{label}] still the primary users'");
        let final_early = approve(&state, &pat, &earlier, "", &[]).await.unwrap();
        assert!(matches!(final_early, Approved::Final { .. }), "[{label}] one step, as submitted: {final_early:?}");
        assert_eq!(
            setup::definition(&state, &admin, DEFAULT_DEFINITION).await.unwrap().waiting_under_earlier_versions,
            0
        );

        assert_eq!(approve(&state, &lee_approver, &request, "Known to us", &[]).await.unwrap(), Approved::StillPending);
        assert!(queue(&state, &pat).await.contains(&request), "[{label}] step 2: the primary users");
        assert_eq!(
            approve(&state, &pat, &request, "", &[]).await.unwrap(),
            Approved::Final { user_id: ann.clone() },
            "[{label}]"
        );
        assert_eq!(status_of(&state, "users", &ann).await, "active", "[{label}]");
        assert_no_request_points_at_a_missing_step(&state, label).await;
        let offered = user_types::choices(&state, &admin).await.unwrap();
        assert_eq!(
            offered.definitions.iter().filter(|d| d.id != DEFAULT_DEFINITION).count(),
            0,
            "[{label}] the archived copy is never offered to a user type"
        );
        let listed = setup::definitions(&state, &admin).await.unwrap();
        assert_eq!(listed.len(), 1, "[{label}] nor listed: {listed:?}");
    })
    .await;
}

// covers: CON-2, APR-2, APR-7
#[tokio::test]
async fn a_waiting_request_never_points_at_a_removed_step_or_past_the_last() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let two =
            definition(&state, &[(ApproverKind::PrimaryUsers, None, None), (ApproverKind::Universal, None, None)])
                .await;
        route_user_type(&state, "company_business", &two).await;
        let (_, at_second) = staff(&state, &acme, "ann.second").await;
        approve(&state, &approver(&state, &acme.primary).await, &at_second, "", &[]).await.unwrap();
        let (_, at_first) = staff(&state, &acme, "bob.first").await;
        assert_eq!(request_at(&state, &at_second).await.1, 2, "[{label}] at the last step");

        let page = setup::definition(&state, &admin, &two).await.unwrap();
        setup::remove_step(&state, &admin, &two, &page.steps[1].id).await.expect("the last step removed");
        assert_no_request_points_at_a_missing_step(&state, label).await;
        let (archived, step, count) = request_at(&state, &at_second).await;
        assert_eq!((step, count), (2, 2), "[{label}] still at 2 of 2, of the steps it was submitted with");
        assert_eq!(steps_of(&state, &archived).await.len(), 2, "[{label}]");
        assert_eq!(request_at(&state, &at_first).await.0, archived, "[{label}] both waiting requests moved");

        // The only step of a definition a user type uses stays.
        let before = setup_counts(&state).await;
        let only = setup::definition(&state, &admin, &two).await.unwrap().steps[0].id.clone();
        let errors = field_errors(setup::remove_step(&state, &admin, &two, &only).await, label);
        assert_eq!(message_for(&errors, "steps"), Some(setup::STEP_NEEDED), "[{label}]");
        assert_eq!(setup_counts(&state).await, before, "[{label}] nothing written");

        // A later edit with nothing waiting under the current steps archives nothing more.
        setup::add_step(&state, &admin, &two, &StepApprover::Universal).await.unwrap();
        let (_, later) = staff(&state, &acme, "cy.later").await;
        assert_eq!(request_at(&state, &later).await, (two.clone(), 1, 2), "[{label}]");
        let versions = count_rows(&state.db, "approval_definitions").await;
        setup::add_step(&state, &admin, &two, &StepApprover::PrimaryUsers).await.unwrap();
        assert_eq!(count_rows(&state.db, "approval_definitions").await, versions + 1, "[{label}] cy's version kept");
        assert_eq!(request_at(&state, &later).await.2, 2, "[{label}] cy keeps 2 steps, not 3");
        assert_no_request_points_at_a_missing_step(&state, label).await;

        // The universal approver decides the request that was at the removed last step.
        let console = merchant_approver(&state, admin.user_id()).await.unwrap();
        let decided = approve(&state, &console, &at_second, "", &[]).await.unwrap();
        assert!(matches!(decided, Approved::Final { .. }), "[{label}] {decided:?}");
    })
    .await;
}

// covers: CON-2, APR-3, REG-14, SEC-5
#[tokio::test]
async fn invalid_approval_setup_input_is_refused_on_its_field_with_nothing_written() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "kim.owner").await;
        company(&state, "Twin Co", "tw.one").await;
        company(&state, "twin co", "tw.two").await;
        colleague(&state, &acme, "ann.staff", None).await;
        app::testing::register_as(&state, "individual", &app::testing::individual_fields("ivy.single")).await.unwrap();
        let group = acme_group(&state, &admin, &acme, &["pat.owner"]).await;
        let before = setup_counts(&state).await;

        let message = |errors: &[FieldError], field: &str| message_for(errors, field).map(str::to_owned);
        let taken = NewDefinition { key: "company_primary_users".into(), name: "Again".into() };
        let errors = field_errors(setup::create_definition(&state, &admin, &taken).await, label);
        assert_eq!(message(&errors, "key").as_deref(), Some(KEY_TAKEN), "[{label}] keys are unique");

        let add = |step: StepApprover| {
            let (state, admin) = (&state, &admin);
            async move { setup::add_step(state, admin, DEFAULT_DEFINITION, &step).await }
        };
        let errors = field_errors(add(StepApprover::User(username("nobody.here"))).await, label);
        assert_eq!(message(&errors, "username").as_deref(), Some("There is no user with this username"), "[{label}]");
        let errors = field_errors(add(StepApprover::User(username("ann.staff"))).await, label);
        assert!(message(&errors, "username").unwrap().contains("cannot decide"), "[{label}] no PENDING_APPROVALS");
        let errors = field_errors(add(StepApprover::Group("no-such-group".into())).await, label);
        assert!(message(&errors, "group_id").is_some(), "[{label}]");

        let input = |name: &str, scope: GroupScope| GroupInput { name: name.into(), scope };
        let by_name = |name: &str| GroupScope::Organization(OrganizationRef::Name(name.into()));
        let errors = field_errors(
            setup::create_group(&state, &admin, &input("ACME APPROVERS", GroupScope::AllOrganizations)).await,
            label,
        );
        assert!(message(&errors, "name").unwrap().contains("already exists"), "[{label}] names are unique");
        let errors =
            field_errors(setup::create_group(&state, &admin, &input("Twins", by_name("Twin Co"))).await, label);
        assert!(message(&errors, "organization").unwrap().contains("Registry ID"), "[{label}] ambiguous name");
        let errors = field_errors(setup::create_group(&state, &admin, &input("None", by_name("Initech"))).await, label);
        assert!(message(&errors, "organization").is_some(), "[{label}] unknown organization");
        let unknown = GroupScope::Organization(OrganizationRef::RegistryId(RegistryId::parse("R-ZZZZZZ").unwrap()));
        assert!(setup::create_group(&state, &admin, &input("None", unknown)).await.is_err(), "[{label}]");

        let errors = field_errors(setup::add_member(&state, &admin, &group, &username("kim.owner")).await, label);
        assert_eq!(message(&errors, "username").as_deref(), Some("This user is not a user of Acme Tools"), "[{label}]");
        let errors = field_errors(setup::add_member(&state, &admin, &group, &username("ivy.single")).await, label);
        assert!(message(&errors, "username").unwrap().contains("Only users of a company"), "[{label}] an individual");
        let errors = field_errors(setup::add_member(&state, &admin, &group, &username("pat.owner")).await, label);
        assert_eq!(message(&errors, "username").as_deref(), Some("This user is already a member"), "[{label}]");
        let missing = setup::add_member(&state, &admin, "no-such-group", &username("pat.owner")).await;
        assert!(matches!(missing, Err(ServiceError::NotFound)), "[{label}]");

        // A group of all organizations may take Globex's user; it cannot then narrow to Acme.
        let all = setup::create_group(&state, &admin, &input("Everyone", GroupScope::AllOrganizations)).await.unwrap();
        setup::add_member(&state, &admin, &all, &username("kim.owner")).await.unwrap();
        let before_narrowing = setup_counts(&state).await;
        let acme_scope =
            GroupScope::Organization(OrganizationRef::RegistryId(RegistryId::parse(&acme.registry_id).unwrap()));
        let errors =
            field_errors(setup::update_group(&state, &admin, &all, &input("Everyone", acme_scope)).await, label);
        assert!(message(&errors, "organization").unwrap().contains("Remove them first"), "[{label}]");
        assert_eq!(setup_counts(&state).await, before_narrowing, "[{label}]");
        let form =
            GroupForm { name: "Globex desk".into(), scope: "organization".into(), organization: " globex ".into() };
        setup::update_group(&state, &admin, &all, &form.validate().unwrap())
            .await
            .expect("narrowed to its members' company");
        let _ = globex;

        // Nothing written by any refused call above (the group made later aside).
        let refused: Vec<_> =
            before.iter().filter(|(t, _)| !t.starts_with("approval_group") && *t != "audit_log").collect();
        let now: Vec<_> = setup_counts(&state).await;
        let now: Vec<_> = now.iter().filter(|(t, _)| !t.starts_with("approval_group") && *t != "audit_log").collect();
        assert_eq!(now, refused, "[{label}] nothing written");
    })
    .await;
}

// covers: CON-2, ADM-7, ADM-9, CON-5
#[tokio::test]
async fn seeded_roles_keep_key_name_and_primary_essentials_and_holders_follow_on_their_next_request() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;
        assert!(!menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}]");

        let business = catalog::merchant_role(&state, &admin, BUSINESS_USER_ROLE).await.unwrap();
        let mut codes: Vec<String> = business.permissions.iter().map(|p| p.to_string()).collect();
        codes.push(Permission::PendingApprovals.to_string());
        let form = MerchantRoleForm { name: "Renamed".into(), description: "x".into(), permissions: codes };
        catalog::update_merchant_role(&state, &admin, BUSINESS_USER_ROLE, &form).await.unwrap();
        assert!(menu_links_to(&state, &ann, "/admin/approvals").await, "[{label}] the holder's next request");
        let stored = catalog::merchant_role(&state, &admin, BUSINESS_USER_ROLE).await.unwrap();
        assert_eq!((stored.name.as_str(), stored.key.as_deref()), ("Business User", Some("business_user")), "[{label}]");

        let before = setup_counts(&state).await;
        let without = MerchantRoleForm { permissions: vec!["PENDING_APPROVALS".into()], ..Default::default() };
        let errors = field_errors(catalog::update_merchant_role(&state, &admin, PRIMARY_USER_ROLE, &without).await, label);
        assert_eq!(message_for(&errors, "permissions"), Some("This role must keep: Manage contacts, Assign roles"));
        assert_eq!(setup_counts(&state).await, before, "[{label}] nothing written");
        let essentials = MerchantRoleForm {
            permissions: ["PENDING_APPROVALS", "MANAGE_CONTACTS", "ASSIGN_ROLES"].map(String::from).to_vec(),
            ..Default::default()
        };
        catalog::update_merchant_role(&state, &admin, PRIMARY_USER_ROLE, &essentials).await.expect("the rest may go");
        assert!(!menu_links_to(&state, &acme.primary, "/company").await, "[{label}] ORG_DETAILS went");
        assert!(menu_links_to(&state, &acme.primary, "/admin/contacts").await, "[{label}]");

        let audit = one(
            &state,
            "SELECT before_value || ' => ' || after_value FROM audit_log WHERE action = 'role.updated' AND subject_id = $1",
            &[BUSINESS_USER_ROLE],
        )
        .await;
        assert!(audit.contains("=>") && audit.matches("PENDING_APPROVALS").count() == 1, "[{label}] {audit}");

        // A company's custom role is not the console's to change.
        let theirs = custom_role_of(&state, &acme.org, "Acme desk", &[Permission::OrgDetails]).await;
        let refused = catalog::update_merchant_role(&state, &admin, &theirs, &form).await;
        assert!(matches!(refused, Err(ServiceError::NotFound)), "[{label}] {refused:?}");
    })
    .await;
}

// covers: CON-2, APR-10, ADM-5, CON-5
#[tokio::test]
async fn merchant_roles_enrollments_and_sites_are_created_and_edited_with_unique_keys_and_names() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", None).await;

        let role = MerchantRole { name: "Trade desk".into(), description: None, permissions: vec![] };
        let trade = catalog::create_merchant_role(&state, &admin, &role).await.expect("a role without permissions");
        let again = MerchantRole { name: "TRADE DESK".into(), ..role.clone() };
        let errors = field_errors(catalog::create_merchant_role(&state, &admin, &again).await, label);
        assert_eq!(message_for(&errors, "name"), Some("A role with this name already exists"), "[{label}]");
        let seeded_name = MerchantRole { name: "primary user".into(), ..role.clone() };
        assert!(catalog::create_merchant_role(&state, &admin, &seeded_name).await.is_err(), "[{label}]");

        let enrollment = |key: Option<&str>, roles: Vec<String>, active: bool| EnrollmentInput {
            key: key.map(str::to_owned),
            name: "Trade pricing".into(),
            description: Some("Prices for the trade".into()),
            approval_definition_id: Some(DEFAULT_DEFINITION.into()),
            role_ids: roles,
            active,
        };
        let foreign = custom_role_of(&state, &acme.org, "Acme desk", &[Permission::OrgDetails]).await;
        let before_foreign = setup_counts(&state).await;
        let errors = field_errors(
            catalog::save_enrollment(&state, &admin, None, &enrollment(Some("trade"), vec![foreign], true)).await,
            label,
        );
        assert_eq!(message_for(&errors, "roles"), Some("Choose only roles from the list"), "[{label}]");
        let archived_or_unknown = EnrollmentInput {
            approval_definition_id: Some("no-such-definition".into()),
            ..enrollment(Some("trade"), vec![trade.clone()], true)
        };
        let errors = field_errors(catalog::save_enrollment(&state, &admin, None, &archived_or_unknown).await, label);
        assert!(message_for(&errors, "approval_definition_id").is_some(), "[{label}]");
        assert_eq!(setup_counts(&state).await, before_foreign, "[{label}] nothing written");

        let id = catalog::save_enrollment(&state, &admin, None, &enrollment(Some("trade"), vec![trade.clone()], true))
            .await
            .expect("enrollment");
        let errors = field_errors(
            catalog::save_enrollment(&state, &admin, None, &enrollment(Some("trade"), vec![trade.clone()], true)).await,
            label,
        );
        assert_eq!(message_for(&errors, "key"), Some(KEY_TAKEN), "[{label}] keys are unique");
        let Enrolled::Pending { request_id } = request_enrollment(&state, &ann, "trade").await.expect("enroll") else {
            panic!("[{label}] the definition routes it")
        };
        assert_eq!(request_at(&state, &request_id).await.0, DEFAULT_DEFINITION, "[{label}]");
        catalog::save_enrollment(&state, &admin, Some(&id), &enrollment(None, vec![trade.clone()], false))
            .await
            .unwrap();
        let stored = catalog::enrollment(&state, &admin, &id).await.unwrap();
        assert_eq!((stored.key.as_str(), stored.active), ("trade", false), "[{label}] the key stays");
        let inactive = request_enrollment(&state, &acme.primary, "trade").await;
        assert!(matches!(inactive, Err(ServiceError::NotFound)), "[{label}] an inactive enrollment: {inactive:?}");

        let site = |key: Option<&str>, name: &str, role: Option<&str>| SiteInput {
            key: key.map(str::to_owned),
            name: name.into(),
            required_role_id: role.map(str::to_owned),
            active: true,
        };
        let outlet =
            catalog::save_site(&state, &admin, None, &site(Some("outlet"), "Outlet", Some(&trade))).await.unwrap();
        let errors =
            field_errors(catalog::save_site(&state, &admin, None, &site(Some("outlet"), "Again", None)).await, label);
        assert_eq!(message_for(&errors, "key"), Some(KEY_TAKEN), "[{label}]");
        let errors = field_errors(
            catalog::save_site(
                &state,
                &admin,
                Some(&outlet),
                &site(None, "Outlet", Some(&foreign_role(&state, &acme).await)),
            )
            .await,
            label,
        );
        assert!(message_for(&errors, "required_role_id").is_some(), "[{label}] a company's role");
        catalog::save_site(&state, &admin, Some(&outlet), &site(None, "Trade outlet", None)).await.unwrap();
        let stored = catalog::site(&state, &admin, &outlet).await.unwrap();
        assert_eq!((stored.name.as_str(), stored.required_role_id.as_deref()), ("Trade outlet", None), "[{label}]");

        let actions = strings(
            &state,
            "SELECT action FROM audit_log WHERE subject_type IN ('role', 'enrollment', 'site') ORDER BY action",
            &[],
        )
        .await;
        assert_eq!(
            actions,
            ["enrollment.created", "enrollment.updated", "role.created", "site.created", "site.updated"],
            "[{label}]"
        );
    })
    .await;
}

async fn foreign_role(state: &AppState, acme: &Company) -> String {
    custom_role_of(state, &acme.org, "Acme outlet", &[Permission::OrgDetails]).await
}

// covers: CON-2, SEC-5
#[tokio::test]
async fn no_customer_gets_the_console_capability() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.lee", Some(PRIMARY_USER_ROLE)).await;
        for user in [&acme.primary, &ann] {
            let refused = caller(&state, user).await.unwrap().merchant_admin();
            assert!(matches!(refused, Err(ServiceError::Forbidden)), "[{label}] {refused:?}");
        }
    })
    .await;
}

// covers: APR-2, CON-2
/// Edits of the company definition's steps racing staff registrations (a SQLite file and
/// PostgreSQL, where transactions really run at once): every request ends up on steps that
/// exist, with the step count it was submitted under — an edit either sees a registration's
/// request (and keeps it on its steps) or runs before the registration counts the steps.
#[tokio::test]
async fn edits_racing_registrations_never_leave_a_request_on_missing_steps() {
    use std::sync::Arc;
    for db in app::testing::concurrent_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = Arc::new(console_admin(&state).await);
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        const RACERS: usize = 6;
        let start = Arc::new(tokio::sync::Barrier::new(2 * RACERS));
        let mut tasks = Vec::new();
        for i in 0..RACERS {
            let (registrar, gate, registry_id) = (state.clone(), start.clone(), acme.registry_id.clone());
            tasks.push(tokio::spawn(async move {
                let (state, start) = (registrar, gate);
                let mut fields = app::testing::person(&format!("racer.{i}"), "Ann");
                fields.insert("registry_id".into(), registry_id);
                start.wait().await;
                app::testing::register_as(&state, "company_business", &fields)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            }));
            let (state, start, admin) = (state.clone(), start.clone(), admin.clone());
            tasks.push(tokio::spawn(async move {
                let last = strings(
                    &state,
                    "SELECT id FROM approval_steps WHERE definition_id = $1 ORDER BY position DESC LIMIT 1",
                    &[DEFAULT_DEFINITION],
                )
                .await
                .remove(0);
                start.wait().await;
                let edited = if i % 2 == 0 {
                    setup::add_step(&state, &admin, DEFAULT_DEFINITION, &StepApprover::Universal).await
                } else {
                    setup::remove_step(&state, &admin, DEFAULT_DEFINITION, &last).await
                };
                match edited {
                    // A racing edit removed that step first, or it was the only one left.
                    Ok(()) | Err(ServiceError::NotFound) | Err(ServiceError::Validation(_)) => Ok(()),
                    Err(other) => Err(format!("{other:?}")),
                }
            }));
        }
        for task in tasks {
            let result = task.await.expect("task");
            assert!(result.is_ok(), "[{label}] {result:?}");
        }
        assert_eq!(
            count_rows(&state.db, "requests").await,
            RACERS as i64,
            "[{label}] every registration made its request"
        );
        assert_no_request_points_at_a_missing_step(&state, label).await;
    }
}
