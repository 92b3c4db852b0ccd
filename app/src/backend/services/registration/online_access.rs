//! Online access to an existing account (OAA-1 … OAA-5): a customer who bought through another
//! channel proves who they are and gets a login for the records that exist, without a duplicate
//! person, contact or account.
//!
//! Until the proof holds, every answer is the same generic refusal after the same work: the
//! attempt is counted against the account number (SEC-4) and the password is hashed before any
//! record is read, so neither the message nor the time tells which check failed.

use sqlx::AnyConnection;

use super::kinds::refuse_if_any;
use super::shared::{add_user, username_errors, Applicant, Ctx, NewRegistrant};
use super::Registered;
use crate::backend::error::ServiceError;
use crate::backend::services::sign_in::username_limits;
use crate::backend::store::throttle::{self, Counter};
use crate::backend::store::{accounts, addresses, contacts, online_access};
use crate::domain::online_access::{order_date_window, phones_match, postal_code_key};
use crate::domain::{OnlineAccessClaim, OnlineAccessRefusal, Proof, UserStatus};

/// The records a proof found: whose they are and which account it named.
struct Holder {
    account_id: String,
    person_id: String,
    first_name: String,
    /// OAA-2: the order's sold-to contact and its organization.
    business: Option<(String, String)>,
}

/// OAA-1, OAA-2: proves `claim` and creates the login; OAA-3's refusals only once it holds.
pub(super) async fn claim_online_access(ctx: &Ctx<'_>, claim: OnlineAccessClaim) -> Result<Registered, ServiceError> {
    let OnlineAccessClaim { proof, email, credentials, marketing_opt_in } = claim;
    let now = ctx.state.now_ms();
    let account_number = proof.account_number().to_owned();
    {
        let mut conn = ctx.state.db.pool().acquire().await?;
        let limits = username_limits(ctx.settings);
        if !throttle::count_attempt(&mut conn, Counter::AccountNumber, &account_number, now, limits).await? {
            return Err(ServiceError::OnlineAccess(OnlineAccessRefusal::TooManyAttempts));
        }
    }
    let hash = ctx.state.hasher.hash(&credentials.password).await?;
    let holder = {
        let mut conn = ctx.state.db.pool().acquire().await?;
        let holder =
            prove(&mut conn, &proof).await?.ok_or(ServiceError::OnlineAccess(OnlineAccessRefusal::NotVerified))?;
        throttle::clear(&mut conn, Counter::AccountNumber, &account_number).await?;
        refuse_existing_login(&mut conn, &holder).await?;
        holder
    };
    refuse_if_any(username_errors(ctx, &credentials.username).await?)?;
    let mut tx = ctx.state.db.begin().await?;
    // Two claims of one person at once: the second waits for the first's row lock, then sees
    // its login (OAA-3) instead of adding a second one.
    addresses::lock_owner(&mut tx, addresses::Owner::Person(&holder.person_id)).await?;
    refuse_existing_login(&mut tx, &holder).await?;
    // OAA-4: the entered address becomes primary; the old one stays, non-primary.
    contacts::set_primary_email(&mut tx, &holder.person_id, email.as_str(), now).await?;
    let who = NewRegistrant {
        person_id: &holder.person_id,
        organization_id: holder.business.as_ref().map(|(_, organization)| organization.as_str()),
        contact_id: holder.business.as_ref().map(|(contact, _)| contact.as_str()),
        created_organization_id: None,
        registry_id: None,
        is_online_access: true,
        is_partial: false,
    };
    let applicant = Applicant {
        username: &credentials.username,
        email: email.as_str(),
        first_name: &holder.first_name,
        marketing_opt_in,
    };
    let registered = add_user(ctx, &mut tx, &applicant, hash.as_str(), &who, now).await?;
    // OAA-5: the account that was proven, never a new one. While the login waits for approval
    // the assignment grants nothing (the user cannot sign in).
    accounts::assign(&mut tx, &registered.user_id, &holder.account_id, true, now).await?;
    tx.commit().await?;
    Ok(registered)
}

/// The records `proof` names, or `None` whatever did not match.
async fn prove(conn: &mut AnyConnection, proof: &Proof) -> Result<Option<Holder>, ServiceError> {
    Ok(match proof {
        Proof::Individual { account_number, postal_code, phone } => {
            let found =
                online_access::person_account(conn, account_number.as_str(), &postal_code_key(postal_code.as_str()))
                    .await?;
            found.filter(|a| a.phones.iter().any(|stored| phones_match(phone.as_str(), stored))).map(|a| Holder {
                account_id: a.account_id,
                person_id: a.person_id,
                first_name: a.first_name,
                business: None,
            })
        }
        Proof::Business { account_number, order_number, order_date } => {
            let (from, to) = order_date_window(*order_date);
            online_access::sold_to(conn, account_number.as_str(), order_number.as_str(), from, to).await?.map(|s| {
                Holder {
                    account_id: s.account_id,
                    person_id: s.person_id,
                    first_name: s.first_name,
                    business: Some((s.contact_id, s.organization_id)),
                }
            })
        }
    })
}

/// OAA-3: refuses a customer who already has a login, in the words that fit.
async fn refuse_existing_login(conn: &mut AnyConnection, holder: &Holder) -> Result<(), ServiceError> {
    let contact_id = holder.business.as_ref().map(|(contact, _)| contact.as_str());
    let statuses = online_access::login_statuses(conn, &holder.person_id, contact_id).await?;
    match existing_login(&statuses, holder.business.is_some()) {
        Some(refusal) => Err(ServiceError::OnlineAccess(refusal)),
        None => Ok(()),
    }
}

/// OAA-3: what a customer who already has a login is told. Released usernames (a rejected
/// earlier request, OAA-5) do not count: that contact may register again.
fn existing_login(statuses: &[UserStatus], business: bool) -> Option<OnlineAccessRefusal> {
    let has = |wanted: &[UserStatus]| statuses.iter().any(|s| wanted.contains(s));
    if has(&[UserStatus::Active]) {
        return Some(OnlineAccessRefusal::HasUsername);
    }
    match (business, has(&[UserStatus::Inactive, UserStatus::Pending])) {
        (_, false) => None,
        (true, true) => Some(OnlineAccessRefusal::CompanyUserInactive),
        (false, true) => Some(if has(&[UserStatus::Inactive]) {
            OnlineAccessRefusal::Inactivated
        } else {
            OnlineAccessRefusal::HasUsername
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: OAA-3
    #[test]
    fn existing_logins_get_the_spec_s_answers() {
        use UserStatus::{Active, Inactive, Pending};
        assert_eq!(existing_login(&[], false), None);
        assert_eq!(existing_login(&[Active], false), Some(OnlineAccessRefusal::HasUsername));
        assert_eq!(existing_login(&[Inactive], false), Some(OnlineAccessRefusal::Inactivated));
        assert_eq!(existing_login(&[Inactive], true), Some(OnlineAccessRefusal::CompanyUserInactive));
        assert_eq!(existing_login(&[Pending], true), Some(OnlineAccessRefusal::CompanyUserInactive));
        assert_eq!(existing_login(&[Inactive, Active], true), Some(OnlineAccessRefusal::HasUsername));
    }
}
