//! ADM-6, the Accounts tab of a user (ASSIGN_ACCOUNTS): the company's accounts assigned to the
//! user, and its other active accounts to assign — any of them, even one the administrator
//! does not have. Only accounts of the administrator's organization, ever (SEC-5). Removing
//! goes through a confirmation that warns when the user would have none left.

use serde_json::json;

use super::access::{audit_change, login_of, login_to_change};
use crate::backend::authz::CompanyAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::accounts::{self, CompanyAccount, UserAccount};
use crate::backend::store::contacts::Subject;
use crate::domain::{Permission, RecordStatus};

/// What the Accounts tab shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccounts {
    pub subject: Subject,
    pub assigned: Vec<UserAccount>,
    pub assignable: Vec<CompanyAccount>,
}

pub async fn user_accounts(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
) -> Result<UserAccounts, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (subject, user) = login_of(&mut conn, admin, contact_id, Permission::AssignAccounts).await?;
    let assigned = accounts::assigned_in_organization(&mut conn, &user.id, admin.organization_id()).await?;
    let assignable = accounts::assignable_to(&mut conn, &user.id, admin.organization_id()).await?;
    Ok(UserAccounts { subject, assigned, assignable })
}

/// The confirmation page of a removal: who, which account, and whether it is the user's last
/// active account of the company (the page then warns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRemoval {
    pub subject: Subject,
    pub account_number: String,
    pub is_last: bool,
}

pub async fn account_removal(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    account_id: &str,
) -> Result<AccountRemoval, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (subject, user) = login_of(&mut conn, admin, contact_id, Permission::AssignAccounts).await?;
    let assigned = accounts::assigned_in_organization(&mut conn, &user.id, admin.organization_id()).await?;
    let account = assigned.iter().find(|a| a.id == account_id).ok_or(ServiceError::NotFound)?;
    let others_active = assigned.iter().filter(|a| a.id != account_id && a.status == RecordStatus::Active).count();
    Ok(AccountRemoval { account_number: account.account_number.clone(), is_last: others_active == 0, subject })
}

/// Assigns the company's active account `account_id` to the contact's login (another
/// company's, inactive or unknown: NotFound); its number. It becomes the primary when the
/// user has no primary account of the company yet (PRO-3).
pub async fn assign_account(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    account_id: &str,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let organization_id = admin.organization_id();
    let mut tx = state.db.begin().await?;
    let (_, user) = login_to_change(&mut tx, admin, contact_id, Permission::AssignAccounts).await?;
    let (number, status) =
        accounts::of_organization(&mut tx, organization_id, account_id).await?.ok_or(ServiceError::NotFound)?;
    match status {
        RecordStatus::Active => {}
        RecordStatus::Inactive => return Err(ServiceError::NotFound),
    }
    let assigned = accounts::assigned_in_organization(&mut tx, &user.id, organization_id).await?;
    if assigned.iter().any(|a| a.id == account_id) {
        return Ok(number);
    }
    let primary = !assigned.iter().any(|a| a.is_primary);
    accounts::assign(&mut tx, &user.id, account_id, primary, now).await?;
    let after = json!({ "account_id": account_id, "account_number": number, "primary": primary });
    audit_change(&mut tx, admin, "user.account_assigned", &user, None, Some(after), now).await?;
    tx.commit().await?;
    Ok(number)
}

/// Takes the assigned account away (not assigned, or not the company's: NotFound); its
/// number. When it was the primary, the next assigned account becomes primary.
pub async fn remove_account(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    account_id: &str,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let organization_id = admin.organization_id();
    let mut tx = state.db.begin().await?;
    let (_, user) = login_to_change(&mut tx, admin, contact_id, Permission::AssignAccounts).await?;
    let (number, _) =
        accounts::of_organization(&mut tx, organization_id, account_id).await?.ok_or(ServiceError::NotFound)?;
    let was_primary = accounts::unassign(&mut tx, &user.id, account_id).await?.ok_or(ServiceError::NotFound)?;
    let new_primary =
        if was_primary { accounts::promote_next_primary(&mut tx, &user.id, organization_id).await? } else { None };
    let before = json!({ "account_id": account_id, "account_number": number, "primary": was_primary });
    let after = json!({ "new_primary_account_id": new_primary });
    audit_change(&mut tx, admin, "user.account_removed", &user, Some(before), Some(after), now).await?;
    tx.commit().await?;
    Ok(number)
}
