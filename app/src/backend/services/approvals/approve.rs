//! Approving (APR-5, APR-10): a step's approval moves the request on; the final one enables the
//! user or grants the enrollment, in one transaction.

use sqlx::AnyConnection;

use super::{clean_comment, log, lost_race, open_decision};
use crate::backend::authz::Approver;
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::services::accounts::{assign_default_company_account, open_individual_account};
use crate::backend::services::approval_steps::notify_approvers;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::requests::{self, Outcome, RequestRecord};
use crate::backend::store::{accounts, organizations, persons, roles, user_types, users};
use crate::domain::{Decision, FieldError, Language, RequestKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approved {
    /// Steps remain: "Approved. The request still needs approval by other approvers".
    StillPending,
    /// The final approval took effect.
    Final { user_id: String },
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
    let decided_by = approver.deciding_user();
    if !request.at_last_step() {
        if !requests::advance(&mut tx, &request, now).await? {
            return Err(lost_race());
        }
        requests::record_decision(
            &mut tx,
            request_id,
            request.current_step,
            Decision::Approved,
            decided_by,
            comment.as_deref(),
            now,
        )
        .await?;
        let advanced = requests::find(&mut tx, request_id).await?.ok_or(ServiceError::NotFound)?;
        notify_approvers(&mut tx, &brand, &settings, &advanced, now).await?;
        log(&mut tx, approver, "request.step_approved", request_id, comment.as_deref(), now).await?;
        tx.commit().await?;
        return Ok(Approved::StillPending);
    }
    if !requests::close(&mut tx, &request, Outcome::Approved, now).await? {
        return Err(lost_race());
    }
    let decision = Outcome::Approved.decision();
    requests::record_decision(&mut tx, request_id, request.current_step, decision, decided_by, comment.as_deref(), now)
        .await?;
    match request.kind {
        RequestKind::Enrollment => grant_enrollment(&mut tx, &brand, &request, now).await?,
        RequestKind::Registration => {
            enable_registration(&mut tx, &brand, &settings, &request, account_ids, now).await?
        }
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
        open_individual_account(conn, person_id, &request.user_id, now).await?;
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
    // ADM-2: a user created by a primary user has the account chosen then; approval keeps it.
    if chosen.is_empty() && !accounts::assigned_to(conn, &request.user_id).await?.is_empty() {
        return Ok(());
    }
    if chosen.is_empty() {
        return assign_default_company_account(
            conn,
            settings.auto_create_account,
            &request.user_id,
            organization_id,
            now,
        )
        .await;
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
    if !request.is_online_access {
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
    // APR-4, APR-10: the user's enrollments waited for this; their approvers hear of them now
    // (and a step only this user could decide is passed).
    for enrollment in requests::pending_of_user(conn, &request.user_id, RequestKind::Enrollment).await? {
        notify_approvers(conn, brand, settings, &enrollment, now).await?;
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
