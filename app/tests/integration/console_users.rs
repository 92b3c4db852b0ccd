//! The console's users (CON-3) at the use-case level: search, Disable now or on a later date
//! (applied by the job on the test clock), Enable, Delete, Reset password, dated role grants,
//! bare users, with their audit rows (CON-5) and refusals (SEC-5). SQLite and PostgreSQL.

use app::backend::authz::{self, MerchantAdmin, Operator};
use app::backend::clock::{HOUR_MS, MINUTE_MS};
use app::backend::services::console::user_access::{grant_role, remove_role, reset_password};
use app::backend::services::console::users::{
    apply_due_disables, create_bare_user, delete_user, disable_user, enable_user, search_users, user_view, Disabled,
    PAGE_SIZE,
};
use app::backend::store::audit::Actor;
use app::backend::store::user_search::UserQuery;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::console_user::{
    BareUserForm, DisableForm, Justification, NewPassword, ResetPasswordForm, RoleGrantForm,
};
use app::domain::{ConflictCode, NoCommonList, PasswordContext, PasswordPolicy, Permission, UserStatus};
use app::testing::{
    colleague, company, count_rows, exec, for_each_database, merchant_admin, migrated_state, one, person,
    ready_merchant_admin, register_as, sign_in, staff, status_of, strings, GOOD_PASSWORD, PRIMARY_USER_ROLE, T0,
};

const DAY_MS: i64 = 24 * HOUR_MS;

async fn console_admin(state: &AppState) -> MerchantAdmin {
    let id = ready_merchant_admin(state).await;
    authz::caller(state, &id).await.expect("caller").merchant_admin().expect("a merchant admin")
}

/// An individual who registered and can sign in with `GOOD_PASSWORD`.
async fn individual(state: &AppState, username: &str, first_name: &str) -> String {
    register_as(state, "individual", &person(username, first_name)).await.expect("registration").user_id
}

/// A session row of `user_id`, as a signed-in browser has.
async fn open_session(state: &AppState, user_id: &str) {
    let id = app::backend::new_id();
    let expiry = (T0 + 30 * DAY_MS).to_string();
    exec(
        state,
        "INSERT INTO sessions (id, data, user_id, expiry_date) VALUES ($1, '{}', $2, CAST($3 AS BIGINT))",
        &[&id, user_id, &expiry],
    )
    .await;
}

async fn sessions_of(state: &AppState, user_id: &str) -> usize {
    strings(state, "SELECT id FROM sessions WHERE user_id = $1", &[user_id]).await.len()
}

fn disable(date: &str, why: &str) -> app::domain::console_user::Disable {
    DisableForm { effective_date: date.into(), justification: why.into() }.validate().expect("a valid Disable")
}

fn why(text: &str) -> Justification {
    Justification::parse(text).expect("a justification")
}

async fn search(state: &AppState, admin: &MerchantAdmin, q: &str, status: Option<UserStatus>) -> Vec<String> {
    let query = UserQuery { prefix: Some(q.into()), status, after: None };
    search_users(state, admin, query).await.expect("search").rows.into_iter().map(|r| r.username).collect()
}

fn bare(first: &str, last: &str, email: &str, username: &str) -> app::domain::console_user::BareUser {
    BareUserForm { first_name: first.into(), last_name: last.into(), email: email.into(), username: username.into() }
        .validate()
        .expect("a valid bare user")
}

/// The audit row of `action` on `user_id`: (actor user, actor integration, after, justification).
async fn audit_row(state: &AppState, action: &str, user_id: &str) -> (String, String, String, String) {
    let row = strings(
        state,
        "SELECT COALESCE(actor_user_id, '-') || '|' || COALESCE(actor_integration_id, '-') || '|' || \
           COALESCE(after_value, '') || '|' || COALESCE(justification, '') \
         FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY at DESC LIMIT 1",
        &[action, user_id],
    )
    .await;
    let row = row.first().unwrap_or_else(|| panic!("no audit row {action} for {user_id}"));
    let parts: Vec<&str> = row.splitn(4, '|').collect();
    (parts[0].into(), parts[1].into(), parts[2].into(), parts[3].into())
}

// covers: CON-3
#[tokio::test]
async fn search_finds_users_by_a_prefix_of_username_name_or_email_once_each() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        create_bare_user(&state, &admin, &bare("Ann", "Annable", "ann.annable@example.com", "ann.a")).await.unwrap();
        create_bare_user(&state, &admin, &bare("Zoe", "Quist", "zq@example.com", "a_b")).await.unwrap();
        create_bare_user(&state, &admin, &bare("Zed", "Quist", "zed@example.com", "axb")).await.unwrap();
        create_bare_user(&state, &admin, &bare("Max", "Muster", "ANNIKA@Example.com", "max.m")).await.unwrap();

        // One row per user, whichever of username, first name, last name and e-mail matched.
        assert_eq!(search(&state, &admin, "ann", None).await, ["ann.a", "max.m"], "[{label}]");
        assert_eq!(search(&state, &admin, "ANNIK", None).await, ["max.m"], "[{label}] any e-mail, any case");
        assert_eq!(search(&state, &admin, "quist", None).await.len(), 2, "[{label}] last name");
        assert_eq!(search(&state, &admin, "zo", None).await, ["a_b"], "[{label}] first name");
        assert_eq!(search(&state, &admin, "a_", None).await, ["a_b"], "[{label}] _ is literal");
        assert!(search(&state, &admin, "%", None).await.is_empty(), "[{label}] % is literal");
        assert!(search(&state, &admin, "a%", None).await.is_empty(), "[{label}] % is literal");
        assert_eq!(search(&state, &admin, "max", Some(UserStatus::Active)).await, ["max.m"], "[{label}]");
        assert!(search(&state, &admin, "max", Some(UserStatus::Inactive)).await.is_empty(), "[{label}] status");
        let everyone = search(&state, &admin, "", None).await;
        assert!(everyone.contains(&"admin".to_owned()) && everyone.len() == 5, "[{label}] {everyone:?}");
    })
    .await;
}

// covers: CON-3
#[tokio::test]
async fn search_pages_of_25_follow_each_other_without_gaps_or_repeats() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        // Every user matches "smi" twice (username and e-mail), some three times (last name).
        for i in 0..32 {
            let last = if i % 3 == 0 { "Smith" } else { "Jones" };
            let username = format!("smi{i:02}");
            create_bare_user(&state, &admin, &bare("Pat", last, &format!("{username}@example.com"), &username))
                .await
                .unwrap();
        }
        let mut seen: Vec<String> = Vec::new();
        let mut query = UserQuery { prefix: Some("SMI".into()), status: None, after: None };
        let mut pages = 0;
        loop {
            let page = search_users(&state, &admin, query.clone()).await.expect("a page");
            pages += 1;
            assert!(page.rows.len() <= PAGE_SIZE, "[{label}]");
            seen.extend(page.rows.into_iter().map(|r| r.username));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 2, "[{label}] 25 + 7");
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 32, "[{label}] every user once: {seen:?}");
        assert_eq!(seen.len(), 32, "[{label}] no repeats");
    })
    .await;
}

// covers: CON-3, LOG-2, SEC-2, CON-5
#[tokio::test]
async fn disabling_now_ends_the_sessions_and_sign_in_is_refused() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        open_session(&state, &dana).await;
        assert!(authz::caller(&state, &dana).await.is_ok(), "[{label}] usable before");

        let today = disable("2027-01-15", "Left the company");
        assert_eq!(disable_user(&state, &admin, &dana, &today).await.unwrap(), Disabled::Now, "[{label}]");
        assert_eq!(status_of(&state, "users", &dana).await, "inactive", "[{label}]");
        assert_eq!(sessions_of(&state, &dana).await, 0, "[{label}] sessions ended in the same transaction");
        assert!(authz::caller(&state, &dana).await.is_err(), "[{label}] no capability on the next request");
        assert!(
            matches!(sign_in(&state, "dana.s", GOOD_PASSWORD).await, Err(ServiceError::AccessNotActive)),
            "[{label}] LOG-2"
        );
        let (actor, _, after, justification) = audit_row(&state, "user.disabled", &dana).await;
        assert_eq!((actor.as_str(), justification.as_str()), (admin.user_id(), "Left the company"), "[{label}]");
        assert!(
            after.contains("\"status\":\"inactive\"") && after.contains("\"sessions_ended\":1"),
            "[{label}] {after}"
        );

        let again = disable_user(&state, &admin, &dana, &disable("", "Twice")).await;
        assert!(matches!(again, Err(ServiceError::Conflict(ConflictCode::UserStatus))), "[{label}] {again:?}");
        // A date in the past is "at once" too.
        let eve = individual(&state, "eve.s", "Eve").await;
        let past = disable_user(&state, &admin, &eve, &disable("2026-12-01", "Backdated")).await.unwrap();
        assert_eq!((past, status_of(&state, "users", &eve).await.as_str()), (Disabled::Now, "inactive"), "[{label}]");
    })
    .await;
}

// covers: CON-3, LOG-2, CON-5
#[tokio::test]
async fn a_future_disable_is_applied_by_the_job_at_its_date_and_not_before() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0); // 2027-01-15T08:00Z
        let state = migrated_state(&db.url, clock.clone()).await;
        let admin = console_admin(&state).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        open_session(&state, &dana).await;

        let later = disable_user(&state, &admin, &dana, &disable("2027-01-17", "Contract ends")).await.unwrap();
        assert!(matches!(later, Disabled::Scheduled(day) if day.iso() == "2027-01-17"), "[{label}] {later:?}");
        let view = user_view(&state, &admin, &dana).await.unwrap();
        let schedule = view.schedule.expect("the schedule is shown");
        assert_eq!(
            (schedule.justification.as_str(), schedule.requested_by.as_deref()),
            ("Contract ends", Some("admin"))
        );
        assert_eq!(apply_due_disables(&state).await.unwrap(), 0, "[{label}] not due");
        clock.advance_ms(DAY_MS + 15 * HOUR_MS + 59 * MINUTE_MS); // 2027-01-16T23:59Z
        assert_eq!(apply_due_disables(&state).await.unwrap(), 0, "[{label}] still not due");
        assert_eq!(status_of(&state, "users", &dana).await, "active", "[{label}]");
        assert_eq!(sessions_of(&state, &dana).await, 1, "[{label}]");
        sign_in(&state, "dana.s", GOOD_PASSWORD).await.expect("still signs in the day before");

        clock.advance_ms(MINUTE_MS); // 2027-01-17T00:00Z
        assert_eq!(apply_due_disables(&state).await.unwrap(), 1, "[{label}] due at the start of the day");
        assert_eq!(status_of(&state, "users", &dana).await, "inactive", "[{label}]");
        assert_eq!(sessions_of(&state, &dana).await, 0, "[{label}] sessions end when it takes effect");
        assert!(matches!(sign_in(&state, "dana.s", GOOD_PASSWORD).await, Err(ServiceError::AccessNotActive)));
        let (actor, integration, after, justification) = audit_row(&state, "user.disabled", &dana).await;
        assert_eq!((actor.as_str(), integration.as_str()), ("-", "-"), "[{label}] the product itself");
        assert_eq!(justification, "Contract ends", "[{label}]");
        assert!(after.contains(admin.user_id()), "[{label}] who asked for it: {after}");
        assert_eq!(apply_due_disables(&state).await.unwrap(), 0, "[{label}] once");
        assert_eq!(count_rows(&state.db, "user_disable_schedules").await, 0, "[{label}]");
    })
    .await;
}

// covers: CON-3, CON-5
#[tokio::test]
async fn enable_restores_access_and_drops_a_scheduled_disable() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let admin = console_admin(&state).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        disable_user(&state, &admin, &dana, &disable("", "Suspicious activity")).await.unwrap();
        enable_user(&state, &admin, &dana, None).await.unwrap();
        assert_eq!(status_of(&state, "users", &dana).await, "active", "[{label}]");
        sign_in(&state, "dana.s", GOOD_PASSWORD).await.expect("signs in again");
        let again = enable_user(&state, &admin, &dana, None).await;
        assert!(matches!(again, Err(ServiceError::Conflict(ConflictCode::UserStatus))), "[{label}] already active");

        disable_user(&state, &admin, &dana, &disable("2027-02-01", "Leaves in February")).await.unwrap();
        enable_user(&state, &admin, &dana, Some(&why("Stays after all"))).await.unwrap();
        clock.advance_ms(30 * DAY_MS);
        assert_eq!(apply_due_disables(&state).await.unwrap(), 0, "[{label}] the schedule was dropped");
        assert_eq!(status_of(&state, "users", &dana).await, "active", "[{label}]");
        let (_, _, after, justification) = audit_row(&state, "user.enabled", &dana).await;
        assert_eq!(justification, "Stays after all", "[{label}]");
        assert!(after.contains("\"disable_on\":null"), "[{label}] {after}");
    })
    .await;
}

// covers: CON-3, REG-8, CON-5
#[tokio::test]
async fn deleting_releases_the_username_and_keeps_the_person_and_the_history() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        open_session(&state, &dana).await;
        let person_id = one(&state, "SELECT person_id FROM users WHERE id = $1", &[&dana]).await;

        delete_user(&state, &admin, &dana, &why("Asked to be forgotten by the shop")).await.unwrap();
        assert_eq!(status_of(&state, "users", &dana).await, "deleted", "[{label}]");
        assert_eq!(sessions_of(&state, &dana).await, 0, "[{label}]");
        assert!(matches!(sign_in(&state, "dana.s", GOOD_PASSWORD).await, Err(ServiceError::SignInFailed)), "[{label}]");
        assert_eq!(status_of(&state, "persons", &person_id).await, "active", "[{label}] the person is kept");
        let emails = strings(&state, "SELECT address FROM email_addresses WHERE person_id = $1", &[&person_id]).await;
        assert_eq!(emails, ["dana.s@example.com"], "[{label}] and their e-mail");
        let view = user_view(&state, &admin, &dana).await.expect("a deleted user can still be looked at");
        assert_eq!(view.user.status, UserStatus::Deleted, "[{label}]");
        assert!(!search(&state, &admin, "dana", Some(UserStatus::Deleted)).await.is_empty(), "[{label}]");

        let again = register_as(&state, "individual", &person("DANA.S", "Other")).await;
        assert!(again.is_ok(), "[{label}] the username is free again: {again:?}");
        let twice = delete_user(&state, &admin, &dana, &why("Again")).await;
        assert!(matches!(twice, Err(ServiceError::Conflict(ConflictCode::UserStatus))), "[{label}]");
        let (_, _, after, justification) = audit_row(&state, "user.deleted", &dana).await;
        assert_eq!(justification, "Asked to be forgotten by the shop", "[{label}]");
        assert!(after.contains("\"username_released\":true"), "[{label}] {after}");
    })
    .await;
}

// covers: CON-3, APR-4
#[tokio::test]
async fn deleting_a_user_awaiting_approval_closes_the_request_so_no_approval_brings_them_back() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let (ann, request) = staff(&state, &acme, "ann.staff").await;
        delete_user(&state, &admin, &ann, &why("Not one of ours")).await.unwrap();
        assert_eq!(status_of(&state, "requests", &request).await, "rejected", "[{label}]");
        let approver = app::testing::approver(&state, &acme.primary).await;
        let decided = app::backend::services::approvals::approve(&state, &approver, &request, "", &[]).await;
        assert!(decided.is_err(), "[{label}] {decided:?}");
        assert_eq!(status_of(&state, "users", &ann).await, "deleted", "[{label}]");
    })
    .await;
}

/// Every text the database keeps where a secret could leak: the audit log, the outbox, the
/// sessions and the users table (the hash, never the password).
async fn stored_text(state: &AppState) -> String {
    let mut all = Vec::new();
    for sql in [
        "SELECT COALESCE(before_value, '') || COALESCE(after_value, '') || COALESCE(justification, '') FROM audit_log",
        "SELECT subject || text_body || html_body FROM outbox",
        "SELECT data FROM sessions",
        "SELECT username || COALESCE(password_hash, '') FROM users",
    ] {
        all.extend(strings(state, sql, &[]).await);
    }
    all.join("\n")
}

// covers: CON-3, LOG-3, REG-9, SEC-7, CON-5
#[tokio::test]
async fn a_reset_password_must_be_changed_at_next_sign_in_and_a_generated_one_is_stored_nowhere() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        open_session(&state, &dana).await;
        let policy = PasswordPolicy { min_length: 12, hard_to_guess: true };
        let ctx = PasswordContext { username: "dana.s", first_name: "Dana", last_name: "Lee" };
        let typed = ResetPasswordForm {
            password_method: "typed".into(),
            password: "harbor violet mosaic 9".into(),
            password_confirm: "harbor violet mosaic 9".into(),
        };
        let choice = typed.validate(&policy, &ctx, &NoCommonList).expect("a good password");
        assert!(reset_password(&state, &admin, &dana, choice).await.unwrap().is_none(), "[{label}] nothing to show");
        assert_eq!(sessions_of(&state, &dana).await, 0, "[{label}] sessions end");
        let signed = sign_in(&state, "dana.s", "harbor violet mosaic 9").await.expect("the typed password works");
        assert!(signed.must_change_password, "[{label}] LOG-3");
        assert!(sign_in(&state, "dana.s", GOOD_PASSWORD).await.is_err(), "[{label}] the old one is gone");

        let generated = reset_password(&state, &admin, &dana, NewPassword::Generated).await.unwrap();
        let generated = generated.expect("a generated password");
        assert_eq!(format!("{generated:?}"), "GeneratedPassword(***)", "[{label}] no Debug leak");
        let generated = generated.expose();
        assert!(generated.chars().count() >= 20, "[{label}] strong: {} characters", generated.len());
        let signed = sign_in(&state, "dana.s", &generated).await.expect("the generated password works");
        assert!(signed.must_change_password, "[{label}] LOG-3");
        let stored = stored_text(&state).await;
        assert!(!stored.contains(&generated), "[{label}] not in the audit log, the outbox, sessions or users");
        assert!(!stored.contains("harbor violet mosaic 9"), "[{label}] nor the typed one");
        let (_, _, after, _) = audit_row(&state, "user.password_reset", &dana).await;
        assert!(after.contains("\"method\":\"generated\"") && after.contains("\"must_change_password\":true"));

        let other = reset_password(&state, &admin, &dana, NewPassword::Generated).await.unwrap().unwrap().expose();
        assert_ne!(other, generated, "[{label}] random each time");
        let own = reset_password(&state, &admin, admin.user_id(), NewPassword::Generated).await;
        assert!(matches!(own, Err(ServiceError::Conflict(ConflictCode::OwnLogin))), "[{label}] {own:?}");
    })
    .await;
}

// covers: CON-3, ADM-4, CON-5
#[tokio::test]
async fn a_role_granted_from_a_later_date_has_no_effect_until_then_and_an_ended_one_none() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let admin = console_admin(&state).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let ann = colleague(&state, &acme, "ann.staff", None).await;
        let holds = |user: String| {
            let state = state.clone();
            async move { authz::caller(&state, &user).await.unwrap().holds(Permission::ManageContacts) }
        };
        assert!(!holds(ann.clone()).await, "[{label}] a business user cannot manage contacts");

        let grant = RoleGrantForm {
            role_id: PRIMARY_USER_ROLE.into(),
            start_date: "2027-01-20".into(),
            end_date: "2027-01-31".into(),
            justification: "Covers for Pat".into(),
        };
        grant_role(&state, &admin, &ann, &grant.validate().unwrap()).await.unwrap();
        assert!(!holds(ann.clone()).await, "[{label}] not before its start date");
        let view = user_view(&state, &admin, &ann).await.unwrap();
        let shown = view.roles.iter().find(|r| r.role_id == PRIMARY_USER_ROLE).expect("listed with its dates");
        assert_eq!(shown.justification.as_deref(), Some("Covers for Pat"), "[{label}]");
        assert!(!shown.in_force_at(T0), "[{label}]");

        clock.advance_ms(5 * DAY_MS - 8 * HOUR_MS); // 2027-01-20T00:00Z
        assert!(holds(ann.clone()).await, "[{label}] from the start of its start date");
        clock.advance_ms(12 * DAY_MS); // 2027-02-01
        assert!(!holds(ann.clone()).await, "[{label}] not after its end date");

        let ended = RoleGrantForm { start_date: "".into(), end_date: "2027-01-31".into(), ..grant.clone() };
        grant_role(&state, &admin, &ann, &ended.validate().unwrap()).await.unwrap();
        assert!(!holds(ann.clone()).await, "[{label}] a grant that ended has no effect");
        let open = RoleGrantForm { start_date: "".into(), end_date: "".into(), ..grant };
        grant_role(&state, &admin, &ann, &open.validate().unwrap()).await.unwrap();
        assert!(holds(ann.clone()).await, "[{label}] re-granted without dates");

        remove_role(&state, &admin, &ann, PRIMARY_USER_ROLE, None).await.unwrap();
        assert!(!holds(ann.clone()).await, "[{label}] removed");
        let missing = remove_role(&state, &admin, &ann, PRIMARY_USER_ROLE, None).await;
        assert!(matches!(missing, Err(ServiceError::NotFound)), "[{label}]");
        let unknown = RoleGrantForm { role_id: "nope".into(), justification: "x".into(), ..RoleGrantForm::default() };
        let refused = grant_role(&state, &admin, &ann, &unknown.validate().unwrap()).await;
        assert!(matches!(refused, Err(ServiceError::Validation(ref f)) if f[0].field == "role_id"), "[{label}]");
        let actions = strings(
            &state,
            "SELECT action FROM audit_log WHERE subject_id = $1 AND action LIKE 'user.role%' ORDER BY at, action",
            &[&ann],
        )
        .await;
        assert_eq!(actions.iter().filter(|a| *a == "user.role_granted").count(), 3, "[{label}] {actions:?}");
        assert_eq!(actions.iter().filter(|a| *a == "user.role_removed").count(), 1, "[{label}] {actions:?}");
    })
    .await;
}

// covers: CON-3, PAR-1, REG-8, CON-5
#[tokio::test]
async fn a_bare_user_is_a_person_an_email_and_a_login_without_password_type_or_company() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let id = create_bare_user(&state, &admin, &bare("Rita", "Moreno", "rita@example.com", "Rita.M")).await.unwrap();
        let row = one(
            &state,
            "SELECT u.status || '|' || COALESCE(u.password_hash, '-') || '|' || COALESCE(u.user_type_id, '-') || '|' || \
               COALESCE(u.organization_id, '-') || '|' || p.status || '|' || p.first_name || ' ' || p.last_name \
             FROM users u JOIN persons p ON p.id = u.person_id WHERE u.id = $1",
            &[&id],
        )
        .await;
        assert_eq!(row, "active|-|-|-|inactive|Rita Moreno", "[{label}] PAR-1: no active person, nothing known");
        let email = one(
            &state,
            "SELECT address FROM email_addresses WHERE is_primary = 1 AND person_id = (SELECT person_id FROM users WHERE id = $1)",
            &[&id],
        )
        .await;
        assert_eq!(email, "rita@example.com", "[{label}]");
        assert!(matches!(sign_in(&state, "rita.m", GOOD_PASSWORD).await, Err(ServiceError::SignInFailed)));
        let (_, _, after, _) = audit_row(&state, "user.created", &id).await;
        assert!(after.contains("\"bare\":true"), "[{label}] {after}");

        let counts = (count_rows(&state.db, "persons").await, count_rows(&state.db, "users").await);
        let taken = create_bare_user(&state, &admin, &bare("Other", "Person", "o@example.com", "RITA.m")).await;
        match taken {
            Err(ServiceError::Validation(fields)) => {
                assert_eq!((fields[0].field.as_str(), fields[0].message.as_str()), ("username", "Username already used"))
            }
            other => panic!("[{label}] expected the username refused: {other:?}"),
        }
        assert_eq!(
            (count_rows(&state.db, "persons").await, count_rows(&state.db, "users").await),
            counts,
            "[{label}] nothing written"
        );
        // Once it has a password (reset here), the bare user signs in and must change it.
        let password = reset_password(&state, &admin, &id, NewPassword::Generated).await.unwrap().unwrap().expose();
        assert!(sign_in(&state, "rita.m", &password).await.unwrap().must_change_password, "[{label}]");
    })
    .await;
}

/// An operator limited to one organization, as an integration's sales groups are (API-2).
struct OneCompany {
    admin: String,
    organization: String,
}

impl Operator for OneCompany {
    fn actor(&self) -> Actor<'_> {
        Actor::User(&self.admin)
    }
    fn reaches(&self, organization_id: Option<&str>) -> bool {
        organization_id.is_none_or(|o| o == self.organization)
    }
}

// covers: CON-3, SEC-5, API-2
#[tokio::test]
async fn only_a_merchant_admin_gets_the_capability_and_an_operator_reaches_only_its_companies() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let globex = company(&state, "Globex", "gil.owner").await;
        let ann = colleague(&state, &acme, "ann.staff", None).await;
        let dana = individual(&state, "dana.s", "Dana").await;
        for (who, user) in [("primary user", &acme.primary), ("business user", &ann), ("individual", &dana)] {
            let caller = authz::caller(&state, user).await.expect("a usable customer");
            assert!(matches!(caller.merchant_admin(), Err(ServiceError::Forbidden)), "[{label}] {who}");
        }
        let first_sign_in = merchant_admin(&state).await;
        let caller = authz::caller(&state, &first_sign_in).await.unwrap();
        assert!(caller.merchant_admin().is_err(), "[{label}] not before the forced password change (LOG-3)");

        let admin = console_admin(&state).await;
        let own = disable_user(&state, &admin, admin.user_id(), &disable("", "Oops")).await;
        assert!(matches!(own, Err(ServiceError::Conflict(ConflictCode::OwnLogin))), "[{label}]");
        let own = delete_user(&state, &admin, admin.user_id(), &why("Oops")).await;
        assert!(matches!(own, Err(ServiceError::Conflict(ConflictCode::OwnLogin))), "[{label}]");

        let scoped = OneCompany { admin: admin.user_id().to_owned(), organization: acme.org.clone() };
        let audit_rows = count_rows(&state.db, "audit_log").await;
        let elsewhere = disable_user(&state, &scoped, &globex.primary, &disable("", "Not mine")).await;
        assert!(matches!(elsewhere, Err(ServiceError::NotFound)), "[{label}] as an unknown id");
        assert!(matches!(user_view(&state, &scoped, &globex.primary).await, Err(ServiceError::NotFound)));
        assert_eq!(status_of(&state, "users", &globex.primary).await, "active", "[{label}] nothing changed");
        assert_eq!(count_rows(&state.db, "audit_log").await, audit_rows, "[{label}] nothing audited");
        let listed = search_users(&state, &scoped, UserQuery { prefix: Some("gil".into()), ..UserQuery::default() });
        assert!(listed.await.unwrap().rows.is_empty(), "[{label}] not listed");
        disable_user(&state, &scoped, &ann, &disable("", "Mine")).await.expect("its own company's user");
    })
    .await;
}
