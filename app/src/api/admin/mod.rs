//! Company administration (SPEC §7): the server functions of `/admin/contacts…` and
//! `/admin/roles…`. Each one makes its `CompanyAdmin` capability itself (SEC-5), whatever the
//! page showed.

pub mod contacts;

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod access;
pub mod roles;
pub mod user_accounts;
pub mod user_roles;
pub mod user_sites;

pub const CONTACTS: &str = "/admin/contacts";
pub const ROLES: &str = "/admin/roles";

/// The tabs of one contact's pages (ADM-3 … ADM-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactTab {
    Details,
    Roles,
    Sites,
    Accounts,
}

impl ContactTab {
    pub const ALL: [ContactTab; 4] = [ContactTab::Details, ContactTab::Roles, ContactTab::Sites, ContactTab::Accounts];

    pub fn label(self) -> &'static str {
        match self {
            ContactTab::Details => "Details",
            ContactTab::Roles => "Roles",
            ContactTab::Sites => "Sites",
            ContactTab::Accounts => "Accounts",
        }
    }

    pub fn href(self, contact_id: &str) -> String {
        match self {
            ContactTab::Details => format!("{CONTACTS}/{contact_id}"),
            ContactTab::Roles => format!("{CONTACTS}/{contact_id}/roles"),
            ContactTab::Sites => format!("{CONTACTS}/{contact_id}/sites"),
            ContactTab::Accounts => format!("{CONTACTS}/{contact_id}/accounts"),
        }
    }
}

/// Who a contact page is about, and which of its tabs the caller may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactHeading {
    pub contact_id: String,
    pub name: String,
    /// `None` for a contact without a login.
    pub username: Option<String>,
    pub tabs: Vec<ContactTab>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ContactHeading, ContactTab};
    use crate::backend::authz::CompanyAdmin;
    use crate::backend::store::contacts::Subject;
    use crate::domain::Permission;

    /// Details always; the access tabs only for a contact with a login, each with its
    /// permission (ADM-4 ASSIGN_ROLES, ADM-5 ASSIGN_SITES, ADM-6 ASSIGN_ACCOUNTS).
    pub fn heading(admin: &CompanyAdmin, subject: &Subject) -> ContactHeading {
        let holds = |p| admin.permissions().holds(p);
        let is_user = subject.user.is_some();
        let tabs = ContactTab::ALL
            .into_iter()
            .filter(|tab| match tab {
                ContactTab::Details => true,
                ContactTab::Roles => is_user && holds(Permission::AssignRoles),
                ContactTab::Sites => is_user && holds(Permission::AssignSites),
                ContactTab::Accounts => is_user && holds(Permission::AssignAccounts),
            })
            .collect();
        ContactHeading {
            contact_id: subject.contact_id.clone(),
            name: format!("{} {}", subject.first_name, subject.last_name),
            username: subject.user.as_ref().map(|u| u.username.clone()),
            tabs,
        }
    }
}
