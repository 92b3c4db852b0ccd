//! The session's account and customer (PRO-3, PRO-7): choosing them in the header, and a
//! business user's primary account. A choice is only ever one the caller's scope offers, so
//! nothing outside the user's assignments or the person's active contacts can be chosen.

use crate::backend::authz::{AccountHolder, Caller};
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::accounts::{self, Owner};
use crate::backend::store::audit;

/// PRO-3: the session may use `account_id` only if it is one of the caller's usable accounts
/// (assigned, active, of the session's customer). Any other id is answered as unknown.
pub fn choose_account(caller: &Caller, account_id: &str) -> Result<(), ServiceError> {
    caller.signed_in()?;
    match caller.scope().accounts.iter().any(|a| a.id == account_id) {
        true => Ok(()),
        false => Err(ServiceError::NotFound),
    }
}

/// PRO-7: with `multi_customer_access` on, a person related to several organizations may act
/// for any of them; the scope offers them only then, so otherwise every id is unknown.
pub fn choose_customer(caller: &Caller, organization_id: &str) -> Result<(), ServiceError> {
    caller.signed_in()?;
    match caller.scope().customers.iter().any(|c| c.id == organization_id) {
        true => Ok(()),
        false => Err(ServiceError::NotFound),
    }
}

/// PRO-3: one of the holder's usable accounts becomes their primary account for that customer.
pub async fn set_primary_account(
    state: &AppState,
    holder: &AccountHolder,
    account_id: &str,
) -> Result<(), ServiceError> {
    if !holder.accounts().iter().any(|a| a.id == account_id) {
        return Err(ServiceError::NotFound);
    }
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    accounts::set_primary_assignment(
        &mut tx,
        holder.user_id(),
        Owner::Organization(holder.organization_id()),
        account_id,
    )
    .await?;
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(holder.user_id()),
        action: "user.primary_account_set",
        subject_type: "user",
        subject_id: holder.user_id(),
        before: holder.accounts().first().map(|a| a.id.as_str()),
        after: Some(account_id),
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
