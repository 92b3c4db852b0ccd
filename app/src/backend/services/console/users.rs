//! CON-3, the console's users: search all users, view one, Disable (now, or on a future
//! Effective date applied by a background job), Enable, Delete, and create a bare user. Every
//! use case takes an [`Operator`] — a merchant admin in the console, an integration user of the
//! JSON API — and answers NotFound for a user the operator does not reach (API-2). Every change
//! is one transaction with its audit row (CON-5), justification included.

use serde_json::{json, Value};
use sqlx::AnyConnection;

use crate::backend::authz::Operator;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::services::registration::USERNAME_TAKEN;
use crate::backend::state::AppState;
use crate::backend::store::audit::{self, Actor, AuditEntry};
use crate::backend::store::console_users::{self as store, ConsoleUserRecord, DisableSchedule, RoleGrantRecord};
use crate::backend::store::requests::{self, Outcome};
use crate::backend::store::user_search::{self, SearchKey, UserListRow, UserQuery};
use crate::backend::store::users::{self, NewUser};
use crate::backend::store::{login_help, persons, sessions};
use crate::domain::admin_contact::Day;
use crate::domain::console_user::{BareUser, Disable, Justification};
use crate::domain::{ConflictCode, RecordStatus, RequestKind, UserStatus};

/// Rows per page of the user list.
pub const PAGE_SIZE: usize = 25;
/// Due Disables applied per run of the job (the rest wait for the next run, a minute later).
const DUE_BATCH: i64 = 100;

/// One page of the user list and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage {
    pub rows: Vec<UserListRow>,
    pub next: Option<SearchKey>,
}

/// The list: `query.prefix` is matched case-insensitively (lower-cased here), `%` and `_` as
/// typed. Rows the operator does not reach are left out (an integration's sales groups).
pub async fn search_users(
    state: &AppState,
    operator: &dyn Operator,
    mut query: UserQuery,
) -> Result<UserPage, ServiceError> {
    query.prefix = query.prefix.map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty());
    let mut conn = state.db.pool().acquire().await?;
    let mut keys = user_search::search(&mut conn, &query, PAGE_SIZE + 1).await?;
    let next = (keys.len() > PAGE_SIZE).then(|| keys[PAGE_SIZE - 1].clone());
    keys.truncate(PAGE_SIZE);
    let ids: Vec<String> = keys.into_iter().map(|k| k.user_id).collect();
    let mut rows = user_search::list_rows(&mut conn, &ids).await?;
    rows.retain(|row| operator.reaches(row.organization_id.as_deref()));
    Ok(UserPage { rows, next })
}

/// Everything `/console/users/{id}` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub user: ConsoleUserRecord,
    /// (address, primary), primary first.
    pub emails: Vec<(String, bool)>,
    pub schedule: Option<DisableSchedule>,
    pub roles: Vec<RoleGrantRecord>,
    /// The operator's own login: not disabled, deleted or reset from here.
    pub is_self: bool,
}

pub async fn user_view(state: &AppState, operator: &dyn Operator, user_id: &str) -> Result<UserView, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let user = target(&mut conn, operator, user_id).await?;
    Ok(UserView {
        emails: store::emails_of(&mut conn, &user.person_id).await?,
        schedule: store::schedule_of(&mut conn, user_id).await?,
        roles: store::roles_of(&mut conn, user_id).await?,
        is_self: is_self(operator, user_id),
        user,
    })
}

/// The user `user_id` if the operator reaches it; NotFound otherwise, as for an unknown id.
pub(super) async fn target(
    conn: &mut AnyConnection,
    operator: &dyn Operator,
    user_id: &str,
) -> Result<ConsoleUserRecord, ServiceError> {
    store::find(conn, user_id)
        .await?
        .filter(|user| operator.reaches(user.organization_id.as_deref()))
        .ok_or(ServiceError::NotFound)
}

pub(super) fn is_self(operator: &dyn Operator, user_id: &str) -> bool {
    matches!(operator.actor(), Actor::User(id) if id == user_id)
}

/// An operator keeps their own login: no Disable, Delete or password reset of it here.
pub(super) fn not_self(operator: &dyn Operator, user_id: &str) -> Result<(), ServiceError> {
    if is_self(operator, user_id) {
        return Err(ServiceError::Conflict(ConflictCode::OwnLogin));
    }
    Ok(())
}

/// The audit row of a change to a user (CON-5).
#[allow(clippy::too_many_arguments)]
pub(super) async fn log(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    action: &str,
    user_id: &str,
    before: Option<Value>,
    after: Option<Value>,
    justification: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let (before, after) = (before.map(|v| v.to_string()), after.map(|v| v.to_string()));
    let entry = AuditEntry {
        actor,
        action,
        subject_type: "user",
        subject_id: user_id,
        before: before.as_deref(),
        after: after.as_deref(),
        justification,
    };
    audit::append(conn, &entry, now).await?;
    Ok(())
}

fn lifecycle(status: UserStatus, schedule: Option<&DisableSchedule>) -> Value {
    json!({
        "status": status.to_string(),
        "disable_on": schedule.map(|s| Day::of_ms(s.effective_at).iso()),
    })
}

/// What a Disable did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disabled {
    /// Inactive at once; the user's sessions ended.
    Now,
    /// Recorded: the job makes the user inactive at the start (00:00 UTC) of this day.
    Scheduled(Day),
}

/// CON-3 Disable: an Effective date of today or earlier (or none) makes the user inactive at
/// once and ends their sessions in the same transaction; a later date is recorded for the job
/// ([`apply_due_disables`]). Only an active user can be disabled.
pub async fn disable_user(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    disable: &Disable,
) -> Result<Disabled, ServiceError> {
    let now = state.now_ms();
    let today = Day::of_ms(now);
    let mut tx = state.db.begin().await?;
    let user = target(&mut tx, operator, user_id).await?;
    not_self(operator, user_id)?;
    match user.status {
        UserStatus::Active => {}
        UserStatus::Pending | UserStatus::Inactive | UserStatus::Rejected | UserStatus::Deleted => {
            return Err(ServiceError::Conflict(ConflictCode::UserStatus))
        }
    }
    let before = store::schedule_of(&mut tx, user_id).await?;
    let justification = disable.justification.as_str();
    let outcome = match disable.effective.filter(|day| *day > today) {
        None => {
            users::set_status(&mut tx, user_id, UserStatus::Inactive, now).await?;
            store::cancel_disable(&mut tx, user_id).await?;
            let ended = sessions::delete_for_user(&mut tx, user_id).await?;
            let mut after = lifecycle(UserStatus::Inactive, None);
            after["effective_date"] = json!(today.iso());
            after["sessions_ended"] = json!(ended);
            let before = lifecycle(user.status, before.as_ref());
            log(
                &mut tx,
                operator.actor(),
                "user.disabled",
                user_id,
                Some(before),
                Some(after),
                Some(justification),
                now,
            )
            .await?;
            Disabled::Now
        }
        Some(day) => {
            store::schedule_disable(&mut tx, user_id, day.start_ms(), justification, operator.actor(), now).await?;
            let after = json!({ "status": user.status.to_string(), "disable_on": day.iso() });
            let before = lifecycle(user.status, before.as_ref());
            let action = "user.disable_scheduled";
            log(&mut tx, operator.actor(), action, user_id, Some(before), Some(after), Some(justification), now)
                .await?;
            Disabled::Scheduled(day)
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The job's use case (CON-3): every scheduled Disable whose Effective date has come makes its
/// user inactive and ends their sessions, audited as done by the product itself with the
/// operator's justification. Safe with several instances: each schedule row is deleted by the
/// transaction that applies it. Answers how many were applied.
pub async fn apply_due_disables(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.now_ms();
    let due = {
        let mut conn = state.db.pool().acquire().await?;
        store::due_disables(&mut conn, now, DUE_BATCH).await?
    };
    let mut applied = 0;
    for user_id in due {
        let mut tx = state.db.begin().await?;
        let Some(claimed) = store::claim_due_disable(&mut tx, &user_id, now).await? else { continue };
        let Some(user) = store::find(&mut tx, &user_id).await? else { continue };
        let requested_by = claimed.requested_by_user_id.clone().or(claimed.requested_by_integration_id.clone());
        let mut after = lifecycle(UserStatus::Inactive, None);
        after["effective_date"] = json!(Day::of_ms(claimed.effective_at).iso());
        after["requested_by"] = json!(requested_by);
        match user.status {
            UserStatus::Active => {
                users::set_status(&mut tx, &user_id, UserStatus::Inactive, now).await?;
                after["sessions_ended"] = json!(sessions::delete_for_user(&mut tx, &user_id).await?);
                let before = json!({ "status": user.status.to_string(), "disable_on": after["effective_date"] });
                let why = Some(claimed.justification.as_str());
                log(&mut tx, Actor::System, "user.disabled", &user_id, Some(before), Some(after), why, now).await?;
                applied += 1;
            }
            // Made inactive or deleted meanwhile: nothing left to do but drop the schedule.
            UserStatus::Pending | UserStatus::Inactive | UserStatus::Rejected | UserStatus::Deleted => {}
        }
        tx.commit().await?;
    }
    Ok(applied)
}

/// CON-3 Enable: an inactive user becomes active; an active one with a scheduled Disable keeps
/// being active (the schedule is dropped). The justification is optional.
pub async fn enable_user(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    justification: Option<&Justification>,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let user = target(&mut tx, operator, user_id).await?;
    let schedule = store::schedule_of(&mut tx, user_id).await?;
    match (user.status, &schedule) {
        (UserStatus::Inactive, _) => users::set_status(&mut tx, user_id, UserStatus::Active, now).await?,
        (UserStatus::Active, Some(_)) => {}
        (UserStatus::Active, None) | (UserStatus::Pending | UserStatus::Rejected | UserStatus::Deleted, _) => {
            return Err(ServiceError::Conflict(ConflictCode::UserStatus))
        }
    }
    store::cancel_disable(&mut tx, user_id).await?;
    let (before, after) = (lifecycle(user.status, schedule.as_ref()), lifecycle(UserStatus::Active, None));
    let why = justification.map(Justification::as_str);
    log(&mut tx, operator.actor(), "user.enabled", user_id, Some(before), Some(after), why, now).await?;
    tx.commit().await?;
    Ok(())
}

/// CON-3 Delete: status `deleted`, the username released for anyone to register again (REG-8),
/// sessions and set-password links ended, a scheduled Disable and pending requests dropped (an
/// approval must never bring the login back). The person, contact, e-mail addresses and the
/// history stay.
pub async fn delete_user(
    state: &AppState,
    operator: &dyn Operator,
    user_id: &str,
    justification: &Justification,
) -> Result<(), ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let user = target(&mut tx, operator, user_id).await?;
    not_self(operator, user_id)?;
    match user.status {
        UserStatus::Pending | UserStatus::Active | UserStatus::Inactive | UserStatus::Rejected => {}
        UserStatus::Deleted => return Err(ServiceError::Conflict(ConflictCode::UserStatus)),
    }
    let schedule = store::schedule_of(&mut tx, user_id).await?;
    store::mark_deleted(&mut tx, user_id, now).await?;
    store::cancel_disable(&mut tx, user_id).await?;
    let ended = sessions::delete_for_user(&mut tx, user_id).await?;
    login_help::invalidate_tokens_of(&mut tx, user_id, now).await?;
    let decided_by = match operator.actor() {
        Actor::User(id) => Some(id),
        Actor::Integration(_) | Actor::System => None,
    };
    let mut closed = Vec::new();
    for kind in [RequestKind::Registration, RequestKind::Enrollment] {
        for request in requests::pending_of_user(&mut tx, user_id, kind).await? {
            if requests::close(&mut tx, &request, Outcome::Rejected, now).await? {
                let comment = Some("The user was deleted");
                let decision = Outcome::Rejected.decision();
                requests::record_decision(
                    &mut tx,
                    &request.id,
                    request.current_step,
                    decision,
                    decided_by,
                    comment,
                    now,
                )
                .await?;
                closed.push(request.id);
            }
        }
    }
    let mut before = lifecycle(user.status, schedule.as_ref());
    before["username"] = json!(user.username);
    let after = json!({
        "status": UserStatus::Deleted.to_string(),
        "username_released": true,
        "sessions_ended": ended,
        "requests_closed": closed,
    });
    let why = Some(justification.as_str());
    log(&mut tx, operator.actor(), "user.deleted", user_id, Some(before), Some(after), why, now).await?;
    tx.commit().await?;
    Ok(())
}

/// CON-3 "create a bare user": a person (inactive: no customer record yet) with the e-mail
/// address as primary, and an active login with no password, no user type, no organization.
/// PAR-1 sends such a user, once signed in (after a password reset here or a forgot-login
/// link), to complete their registration: "no active person", nothing known, every active type
/// offered. Answers the new user's id.
pub async fn create_bare_user(
    state: &AppState,
    operator: &dyn Operator,
    bare: &BareUser,
) -> Result<String, ServiceError> {
    let lower = bare.username.lower();
    {
        // REG-8 before writing, for a prompt answer; the unique index decides races.
        let mut conn = state.db.pool().acquire().await?;
        if users::is_reserved(&mut conn, &lower).await? || state.directory.is_taken(&lower).await {
            return Err(ServiceError::field("username", USERNAME_TAKEN));
        }
    }
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let person =
        persons::NewPerson { first_name: bare.first_name.as_str(), last_name: bare.last_name.as_str(), language: "en" };
    let person_id = persons::insert(&mut tx, &person, now).await?;
    persons::set_status(&mut tx, &person_id, RecordStatus::Inactive, now).await?;
    persons::add_email(&mut tx, &person_id, bare.email.as_str(), true, now).await?;
    let new_user = NewUser {
        person_id: &person_id,
        user_type_id: None,
        organization_id: None,
        contact_id: None,
        username: bare.username.as_str(),
        lower_username: &lower,
        password_hash: None,
        status: UserStatus::Active,
        is_merchant_admin: false,
        must_change_password: false,
        start_at: Some(now),
        end_at: None,
    };
    let user_id = users::insert(&mut tx, &new_user, now).await.map_err(|e| match e {
        StoreError::Duplicate(Unique::Username) => ServiceError::field("username", USERNAME_TAKEN),
        other => other.into(),
    })?;
    let after = json!({
        "name": format!("{} {}", bare.first_name.as_str(), bare.last_name.as_str()),
        "email": bare.email.as_str(),
        "username": bare.username.as_str(),
        "status": UserStatus::Active.to_string(),
        "person_status": RecordStatus::Inactive.to_string(),
        "bare": true,
    });
    log(&mut tx, operator.actor(), "user.created", &user_id, None, Some(after), None, now).await?;
    tx.commit().await?;
    Ok(user_id)
}
