//! Deciding requests (APR-5, APR-6, APR-9, APR-10) and the clean-up after a rejection (REJ).
//! Each decision is one transaction guarded by the request's version, so two approvers acting
//! at once produce exactly one decision.

use sqlx::AnyConnection;

use crate::backend::authz::Approver;
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::approvals::{self, PendingRow, RequestRecord};
use crate::backend::store::{accounts, audit, organizations, persons, roles, user_types, users};
use crate::domain::{ConflictCode, FieldError, Language, RecordStatus};

const MAX_COMMENT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approved {
    /// Steps remain: "Approved. The request still needs approval by other approvers".
    StillPending,
    /// The final approval took effect.
    Final { user_id: String },
}

/// One page of the requests the approver may decide (APR-4), oldest first.
pub async fn pending(
    state: &AppState,
    approver: &Approver,
    page: i64,
    per_page: i64,
) -> Result<Vec<PendingRow>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let key = approver.key();
    let offset = page.max(0) * per_page;
    Ok(approvals::pending_for(&mut conn, &key, per_page, offset).await?)
}

/// The request, if this approver may decide it now (the approve/reject pages).
pub async fn decidable(state: &AppState, approver: &Approver, request_id: &str) -> Result<PendingRow, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    approvals::decidable(&mut conn, &approver.key(), request_id).await?.ok_or(ServiceError::NotFound)
}

fn clean_comment(comment: &str) -> Result<Option<String>, ServiceError> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT {
        return Err(ServiceError::field("comments", format!("Comments must be at most {MAX_COMMENT} characters")));
    }
    Ok((!comment.is_empty()).then(|| comment.to_owned()))
}

/// Opens the decision: checks the approver may decide, and that nobody decided first.
async fn open_decision(
    conn: &mut AnyConnection,
    approver: &Approver,
    request_id: &str,
) -> Result<RequestRecord, ServiceError> {
    let request = approvals::find(conn, request_id).await?.ok_or(ServiceError::NotFound)?;
    if request.status != "pending" {
        return Err(ServiceError::Conflict(ConflictCode::AlreadyDecided));
    }
    if approvals::decidable(conn, &approver.key(), request_id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    Ok(request)
}

fn lost_race() -> ServiceError {
    ServiceError::Conflict(ConflictCode::AlreadyDecided)
}

/// APR-5: approve with comments; on the final step enable the user, grant roles, sites and
/// accounts, and queue the welcome e-mail — all in one transaction.
pub async fn approve(
    state: &AppState,
    approver: &Approver,
    request_id: &str,
    comments: &str,
    account_ids: &[String],
) -> Result<Approved, ServiceError> {
    let comment = clean_comment(comments)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settings = Settings::load(&mut tx).await?;
    let request = open_decision(&mut tx, approver, request_id).await?;
    let brand = Brand::new(&settings, &state.config.public_url);
    let last_step = request.rerouted_to_universal != 0 || request.current_step >= request.step_count;
    if !last_step {
        if !approvals::advance(&mut tx, request_id, request.version, now).await? {
            return Err(lost_race());
        }
        approvals::record_decision(
            &mut tx,
            request_id,
            request.current_step,
            "approved",
            Some(approver.user_id()),
            comment.as_deref(),
            now,
        )
        .await?;
        let advanced = RequestRecord { current_step: request.current_step + 1, ..request.clone() };
        notify_approvers(&mut tx, &brand, &settings, &advanced, now).await?;
        log(&mut tx, approver, "request.step_approved", request_id, comment.as_deref(), now).await?;
        tx.commit().await?;
        return Ok(Approved::StillPending);
    }
    if !approvals::close(&mut tx, request_id, request.version, "approved", now).await? {
        return Err(lost_race());
    }
    approvals::record_decision(
        &mut tx,
        request_id,
        request.current_step,
        "approved",
        Some(approver.user_id()),
        comment.as_deref(),
        now,
    )
    .await?;
    match request.kind.as_str() {
        "enrollment" => grant_enrollment(&mut tx, &brand, &request, now).await?,
        _ => enable_registration(&mut tx, &brand, &settings, &request, account_ids, now).await?,
    }
    log(&mut tx, approver, "request.approved", request_id, comment.as_deref(), now).await?;
    tx.commit().await?;
    Ok(Approved::Final { user_id: request.user_id })
}

/// The accounts a business user gets on approval (APR-5): the selected active accounts of the
/// company; with none selected, the company's primary account, or a new one if it has none
/// (setting `auto_create_account`). An individual gets a new account of their own.
async fn assign_accounts(
    conn: &mut AnyConnection,
    settings: &Settings,
    request: &RequestRecord,
    person_id: &str,
    selected: &[String],
    now: i64,
) -> Result<(), ServiceError> {
    let Some(organization_id) = request.organization_id.as_deref() else {
        crate::backend::services::accounts::open_individual_account(conn, person_id, &request.user_id, now).await?;
        return Ok(());
    };
    let company_accounts = accounts::active_of_organization(conn, organization_id).await?;
    let mut chosen: Vec<&accounts::CompanyAccount> = Vec::new();
    for id in selected {
        match company_accounts.iter().find(|a| &a.id == id) {
            Some(account) => chosen.push(account),
            None => {
                return Err(ServiceError::Validation(vec![FieldError::new(
                    "accounts",
                    "Choose accounts of this company only",
                )]))
            }
        }
    }
    if chosen.is_empty() {
        if let Some(primary) = company_accounts.iter().find(|a| a.is_company_primary).or(company_accounts.first()) {
            chosen.push(primary);
        } else if settings.auto_create_account {
            crate::backend::services::accounts::open_account(
                conn,
                accounts::Owner::Organization(organization_id),
                true,
                Some(&request.user_id),
                now,
            )
            .await?;
        }
    }
    for (i, account) in chosen.iter().enumerate() {
        accounts::assign(conn, &request.user_id, &account.id, i == 0, now).await?;
    }
    Ok(())
}

async fn enable_registration(
    conn: &mut AnyConnection,
    brand: &Brand,
    settings: &Settings,
    request: &RequestRecord,
    selected_accounts: &[String],
    now: i64,
) -> Result<(), ServiceError> {
    let user = users::activate(conn, &request.user_id, now).await?;
    if let Some(user_type_id) = &request.user_type_id {
        for role_id in user_types::role_ids(conn, user_type_id).await? {
            roles::grant(conn, &request.user_id, &role_id, None, now).await?;
        }
    }
    roles::grant_sites_for_roles(conn, &request.user_id, now).await?;
    if request.is_online_access == 0 {
        assign_accounts(conn, settings, request, &user.person_id, selected_accounts, now).await?;
    }
    let registry_id = match &request.created_organization_id {
        Some(org) => organizations::name_and_registry_id(conn, org).await?.map(|(_, r)| r),
        None => None,
    };
    if let Some(email) = persons::primary_email(conn, &user.person_id).await? {
        let message = mail::approved(
            brand,
            Language::from_code(&user.language),
            &email,
            &user.first_name,
            &user.username,
            registry_id.as_deref(),
        );
        mail::enqueue(conn, &message, now).await?;
    }
    Ok(())
}

/// APR-10: the enrollment's roles are granted and the company's primary users are told.
async fn grant_enrollment(
    conn: &mut AnyConnection,
    brand: &Brand,
    request: &RequestRecord,
    now: i64,
) -> Result<(), ServiceError> {
    let Some(enrollment_id) = request.enrollment_id.as_deref() else { return Ok(()) };
    for role_id in roles::enrollment_role_ids(conn, enrollment_id).await? {
        roles::grant(conn, &request.user_id, &role_id, None, now).await?;
    }
    roles::grant_sites_for_roles(conn, &request.user_id, now).await?;
    let user = users::profile(conn, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
    let enrollment_name = roles::enrollment_name(conn, enrollment_id).await?.unwrap_or_default();
    if let Some(org) = request.organization_id.as_deref() {
        for primary in roles::primary_users_of(conn, org).await? {
            let message = mail::enrollment_approved(
                brand,
                Language::English,
                &primary.email,
                &primary.first_name,
                &format!("{} {}", user.first_name, user.last_name),
                &enrollment_name,
            );
            mail::enqueue(conn, &message, now).await?;
        }
    }
    Ok(())
}

/// APR-6 and REJ-1 … REJ-3: reject with comments, release the username at once and
/// inactivate what the registration created (unless the setting says otherwise).
pub async fn reject(
    state: &AppState,
    approver: &Approver,
    request_id: &str,
    comments: &str,
) -> Result<(), ServiceError> {
    let comment = clean_comment(comments)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settings = Settings::load(&mut tx).await?;
    let request = open_decision(&mut tx, approver, request_id).await?;
    if !approvals::close(&mut tx, request_id, request.version, "rejected", now).await? {
        return Err(lost_race());
    }
    approvals::record_decision(
        &mut tx,
        request_id,
        request.current_step,
        "rejected",
        Some(approver.user_id()),
        comment.as_deref(),
        now,
    )
    .await?;
    if request.kind == "registration" {
        clean_up_rejected_registration(&mut tx, &settings, &request, now).await?;
    }
    let user = users::profile(&mut tx, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
    if let Some(email) = persons::primary_email(&mut tx, &user.person_id).await? {
        let brand = Brand::new(&settings, &state.config.public_url);
        let message =
            mail::rejected(&brand, Language::from_code(&user.language), &email, &user.first_name, comment.as_deref());
        mail::enqueue(&mut tx, &message, now).await?;
    }
    log(&mut tx, approver, "request.rejected", request_id, comment.as_deref(), now).await?;
    tx.commit().await?;
    Ok(())
}

async fn clean_up_rejected_registration(
    conn: &mut AnyConnection,
    settings: &Settings,
    request: &RequestRecord,
    now: i64,
) -> Result<(), ServiceError> {
    // PAR-3: a partial registration keeps its username and leaves the contact as it was.
    if request.is_partial != 0 {
        return Ok(());
    }
    users::reject_and_release(conn, &request.user_id, now).await?;
    // OAA-5 (online access) and REJ-3 (setting off): only the username is released.
    if request.is_online_access != 0 || !settings.inactivate_customer_data_on_rejection {
        return Ok(());
    }
    if let Some(organization_id) = &request.created_organization_id {
        // A new company's primary user: the organization goes only if nobody else is active in it.
        let others = organizations::other_active_contacts(
            conn,
            organization_id,
            request.created_contact_id.as_deref().unwrap_or(""),
        )
        .await?;
        if others == 0 {
            organizations::set_status(conn, organization_id, RecordStatus::Inactive, now).await?;
            accounts::inactivate_of_organization(conn, organization_id).await?;
            if let Some(contact_id) = &request.created_contact_id {
                organizations::set_contact_status(conn, contact_id, RecordStatus::Inactive, now).await?;
            }
        }
    } else if let Some(contact_id) = &request.created_contact_id {
        organizations::set_contact_status(conn, contact_id, RecordStatus::Inactive, now).await?;
    } else if let Some(person_id) = &request.created_person_id {
        // A first-time individual.
        persons::set_status(conn, person_id, RecordStatus::Inactive, now).await?;
        accounts::inactivate_of_person(conn, person_id).await?;
    }
    Ok(())
}

/// "Approval needed" to each approver of the request's current step (NOT-1).
pub(crate) async fn notify_approvers(
    conn: &mut AnyConnection,
    brand: &Brand,
    settings: &Settings,
    request: &RequestRecord,
    now: i64,
) -> Result<(), ServiceError> {
    let user = users::profile(conn, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
    let user_type = match &request.user_type_id {
        Some(id) => user_types::short_name(conn, id).await?.unwrap_or_default(),
        None => String::new(),
    };
    let company = match &request.organization_id {
        Some(org) => organizations::name_and_registry_id(conn, org).await?.map(|(n, _)| n),
        None => None,
    };
    for approver in approvals::step_approvers(conn, request, &settings.universal_approver).await? {
        let message = mail::approval_needed(
            brand,
            Language::English,
            &approver.email,
            &approver.first_name,
            &format!("{} {}", user.first_name, user.last_name),
            &user.username,
            &user_type,
            company.as_deref(),
        );
        mail::enqueue(conn, &message, now).await?;
    }
    Ok(())
}

async fn log(
    conn: &mut AnyConnection,
    approver: &Approver,
    action: &str,
    request_id: &str,
    comment: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    audit::append(
        conn,
        &audit::AuditEntry {
            actor_user_id: Some(approver.user_id()),
            action,
            subject_type: "request",
            subject_id: request_id,
            before: Some("pending"),
            after: None,
            justification: comment,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The active accounts of the request's company, to offer on the Approve page (REJ-4).
pub async fn assignable_accounts(
    state: &AppState,
    request_id: &str,
) -> Result<Vec<accounts::CompanyAccount>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let request = approvals::find(&mut conn, request_id).await?.ok_or(ServiceError::NotFound)?;
    match request.organization_id {
        Some(org) => Ok(accounts::active_of_organization(&mut conn, &org).await?),
        None => Ok(Vec::new()),
    }
}

/// APR-7: every step that has waited longer than `approval_timeout_minutes` sends a reminder
/// to its approvers and moves on (next step, or the universal approver after the last one).
/// Requests are leased first, so several server instances never handle one twice.
pub async fn reroute_timed_out(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.now_ms();
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    if settings.approval_timeout_minutes <= 0 {
        return Ok(0);
    }
    let timeout_ms = settings.approval_timeout_minutes * crate::backend::clock::MINUTE_MS;
    let ids = {
        let mut tx = state.db.begin().await?;
        let ids = approvals::claim_timed_out(&mut tx, now - timeout_ms, now, 5 * crate::backend::clock::MINUTE_MS, 50)
            .await?;
        tx.commit().await?;
        ids
    };
    let brand = Brand::new(&settings, &state.config.public_url);
    let mut moved = 0;
    for id in ids {
        let mut tx = state.db.begin().await?;
        let Some(request) = approvals::find(&mut tx, &id).await?.filter(|r| r.status == "pending") else { continue };
        let user = users::profile(&mut tx, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
        let requester = format!("{} {}", user.first_name, user.last_name);
        for approver in approvals::step_approvers(&mut tx, &request, &settings.universal_approver).await? {
            let message = mail::approval_reminder(
                &brand,
                Language::English,
                &approver.email,
                &approver.first_name,
                &requester,
                settings.approval_timeout_minutes,
            );
            mail::enqueue(&mut tx, &message, now).await?;
        }
        if !approvals::reroute(&mut tx, &request, now).await? {
            continue; // decided meanwhile: the transaction is dropped, nothing is sent
        }
        approvals::record_decision(&mut tx, &id, request.current_step, "rerouted", None, None, now).await?;
        let rerouted = approvals::find(&mut tx, &id).await?.ok_or(ServiceError::NotFound)?;
        notify_approvers(&mut tx, &brand, &settings, &rerouted, now).await?;
        tx.commit().await?;
        moved += 1;
    }
    Ok(moved)
}
