//! Opening financial accounts, for registration (REG-4, REG-6) and approval (APR-5): in their own
//! module so that neither use case imports the other.

use sqlx::AnyConnection;

use crate::backend::error::{ServiceError, Unique};
use crate::backend::store::{self, accounts};

/// A new account with a fresh number (retried on the rare collision), optionally assigned as
/// the user's primary account.
pub(crate) async fn open_account(
    conn: &mut AnyConnection,
    owner: accounts::Owner<&str>,
    company_primary: bool,
    assign_to: Option<&str>,
    now: i64,
) -> Result<String, ServiceError> {
    let owner_id = owner.map(str::to_owned);
    let (_number, account_id) =
        store::insert_with_fresh_key(conn, Unique::AccountNumber, accounts::generate_account_number, |conn, number| {
            let owner_id = owner_id.clone();
            Box::pin(async move { accounts::insert(conn, owner_id.as_ref(), number, company_primary, None, now).await })
        })
        .await?;
    if let Some(user_id) = assign_to {
        accounts::assign(conn, user_id, &account_id, true, now).await?;
    }
    Ok(account_id)
}

/// An individual's own account (REG-4 "account on approval"), assigned as primary.
pub(crate) async fn open_individual_account(
    conn: &mut AnyConnection,
    person_id: &str,
    user_id: &str,
    now: i64,
) -> Result<String, ServiceError> {
    open_account(conn, accounts::Owner::Person(person_id), false, Some(user_id), now).await
}

/// APR-5 with no account chosen: the company's primary (or else first) active account as the
/// user's primary one, or — with `auto_create_account` on — a new company account when it has
/// none. Approval (APR-5) and an auto-approved confirmation (PAR-2) both end here.
pub(crate) async fn assign_default_company_account(
    conn: &mut AnyConnection,
    auto_create_account: bool,
    user_id: &str,
    organization_id: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let company = accounts::active_of_organization(conn, organization_id).await?;
    match company.iter().find(|a| a.is_company_primary).or(company.first()) {
        Some(account) => accounts::assign(conn, user_id, &account.id, true, now).await?,
        None if auto_create_account => {
            open_account(conn, accounts::Owner::Organization(organization_id), true, Some(user_id), now).await?;
        }
        None => {}
    }
    Ok(())
}
