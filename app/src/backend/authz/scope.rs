//! The session's customer and account (PRO-3, PRO-7). The session only remembers what the user
//! chose; every request checks the choice against the database again, so a choice that is no
//! longer allowed (account unassigned or inactive, contact ended, setting turned off) lapses to
//! the default instead of lingering.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::backend::settings::Settings;
use crate::backend::store::accounts::{self, Owner, UsableAccount};
use crate::backend::store::organizations::{self, CustomerChoice};
use crate::backend::store::users::UserAccount;
use crate::domain::{Permission, PermissionSet};

/// What a session chose, as it stores it (`api::ssr` keeps these beside the user id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionChoice {
    pub organization_id: Option<String>,
    pub account_id: Option<String>,
}

/// The customer and account a request acts for, decided from the session's choice.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The organization every capability is limited to: the user's own, or with multi-customer
    /// access one the person is also an active contact of.
    pub organization_id: Option<String>,
    /// Whether that is the organization the user belongs to (roles are granted there).
    pub is_home: bool,
    /// The accounts usable in this scope, primary first (PRO-3).
    pub accounts: Vec<UsableAccount>,
    /// The session's account: the chosen one if still usable, else the primary (or first).
    pub account_id: Option<String>,
    /// Organizations the session may switch to (PRO-7); empty unless the setting is on and
    /// there is more than one.
    pub customers: Vec<CustomerChoice>,
}

impl Scope {
    pub async fn resolve(
        conn: &mut AnyConnection,
        user: &UserAccount,
        settings: &Settings,
        choice: &SessionChoice,
    ) -> Result<Scope, StoreError> {
        let Some(home) = user.organization_id.as_deref() else {
            // Individuals (and the merchant's staff) act for themselves.
            let accounts = accounts::usable_by(conn, &user.id, Owner::Person(&user.person_id)).await?;
            return Ok(Scope {
                is_home: true,
                account_id: session_account(&accounts, choice),
                accounts,
                ..Scope::default()
            });
        };
        let customers = if settings.multi_customer_access {
            organizations::customers_of_person(conn, &user.person_id).await?
        } else {
            Vec::new()
        };
        let organization_id = match choice.organization_id.as_deref() {
            Some(chosen) if chosen != home && customers.iter().any(|c| c.id == chosen) => chosen.to_owned(),
            _ => home.to_owned(),
        };
        let accounts = accounts::usable_by(conn, &user.id, Owner::Organization(&organization_id)).await?;
        Ok(Scope {
            is_home: organization_id == home,
            account_id: session_account(&accounts, choice),
            accounts,
            customers: if customers.len() > 1 { customers } else { Vec::new() },
            organization_id: Some(organization_id),
        })
    }

    /// What the user may do in this scope. Roles are granted in the user's own organization;
    /// acting for another customer (PRO-7) the user is that customer's business user at most:
    /// read what a Business User reads, never administer it.
    pub fn permissions(&self, granted: PermissionSet) -> PermissionSet {
        if self.is_home {
            return granted;
        }
        granted.iter().filter(|p| BUSINESS_USER_READS.contains(p)).collect()
    }
}

/// The seeded Business User role's permissions (SPEC §7): what carries over to another customer.
const BUSINESS_USER_READS: &[Permission] =
    &[Permission::OrgDetails, Permission::OrgAdministrators, Permission::ViewAccounts];

/// The chosen account if it is still usable here, else the first (the primary).
fn session_account(accounts: &[UsableAccount], choice: &SessionChoice) -> Option<String> {
    choice
        .account_id
        .as_deref()
        .and_then(|chosen| accounts.iter().find(|a| a.id == chosen))
        .or_else(|| accounts.first())
        .map(|a| a.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, primary: bool) -> UsableAccount {
        UsableAccount { id: id.into(), account_number: format!("A-{id}"), is_primary: primary }
    }

    // covers: PRO-3
    #[test]
    fn the_session_account_is_the_chosen_usable_one_or_else_the_first() {
        let usable = [account("p", true), account("b", false)];
        let chose = |id: Option<&str>| SessionChoice { organization_id: None, account_id: id.map(str::to_owned) };
        assert_eq!(session_account(&usable, &chose(Some("b"))).as_deref(), Some("b"));
        assert_eq!(session_account(&usable, &chose(Some("not-assigned"))).as_deref(), Some("p"));
        assert_eq!(session_account(&usable, &chose(None)).as_deref(), Some("p"));
        assert_eq!(session_account(&[], &chose(Some("b"))), None);
    }

    // covers: PRO-7, SEC-5
    #[test]
    fn administration_rights_do_not_carry_over_to_another_customer() {
        let granted: PermissionSet =
            [Permission::ManageContacts, Permission::UpdateOrgDetails, Permission::OrgDetails].into_iter().collect();
        let home = Scope { is_home: true, ..Scope::default() };
        let other = Scope { is_home: false, ..Scope::default() };
        assert_eq!(home.permissions(granted.clone()).iter().count(), 3);
        let elsewhere = other.permissions(granted);
        assert!(elsewhere.holds(Permission::OrgDetails));
        assert!(!elsewhere.holds(Permission::ManageContacts));
        assert!(!elsewhere.holds(Permission::UpdateOrgDetails));
    }
}
