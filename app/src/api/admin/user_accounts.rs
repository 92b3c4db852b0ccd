//! ADM-6, the Accounts tab of a contact's login (MANAGE_CONTACTS + ASSIGN_ACCOUNTS): the
//! company's accounts assigned to the user and its other active accounts; Assign, and Remove
//! after a confirmation page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ContactHeading;
use crate::api::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: String,
    pub account_number: String,
    /// The user's primary account (assigned) or the company's primary account (assignable).
    pub is_primary: bool,
    pub is_active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccountsInfo {
    pub heading: ContactHeading,
    pub assigned: Vec<AccountView>,
    pub assignable: Vec<AccountView>,
}

/// The confirmation of a removal; `is_last` when the user would have no active account left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRemovalInfo {
    pub heading: ContactHeading,
    pub account_id: String,
    pub account_number: String,
    pub is_last: bool,
}

pub fn accounts_href(contact_id: &str) -> String {
    format!("{}/{contact_id}/accounts", super::CONTACTS)
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "account_assigned" => Some("The account was assigned."),
        "account_removed" => Some("The account was removed."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/accounts")]
pub async fn user_accounts(id: String) -> Result<UserAccountsInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::RecordStatus;
    let (state, admin) = super::access::contact_admin().await?;
    let found = crate::backend::services::admin::user_accounts::user_accounts(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(UserAccountsInfo {
        heading: super::ssr::heading(&admin, &found.subject),
        assigned: found
            .assigned
            .into_iter()
            .map(|a| AccountView {
                id: a.id,
                account_number: a.account_number,
                is_primary: a.is_primary,
                is_active: match a.status {
                    RecordStatus::Active => true,
                    RecordStatus::Inactive => false,
                },
            })
            .collect(),
        assignable: found
            .assignable
            .into_iter()
            .map(|a| AccountView {
                id: a.id,
                account_number: a.account_number,
                is_primary: a.is_company_primary,
                is_active: true,
            })
            .collect(),
    })
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/accounts/removal")]
pub async fn account_removal(id: String, account_id: String) -> Result<AccountRemovalInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    let found = crate::backend::services::admin::user_accounts::account_removal(&state, &admin, &id, &account_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(AccountRemovalInfo {
        heading: super::ssr::heading(&admin, &found.subject),
        account_id,
        account_number: found.account_number,
        is_last: found.is_last,
    })
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/accounts/assign")]
pub async fn assign_account(id: String, account_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    crate::backend::services::admin::user_accounts::assign_account(&state, &admin, &id, &account_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=account_assigned", accounts_href(&id)))
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/accounts/remove")]
pub async fn remove_account(id: String, account_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    crate::backend::services::admin::user_accounts::remove_account(&state, &admin, &id, &account_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=account_removed", accounts_href(&id)))
}
