//! ADM-9: menus show only what the user's type and permissions allow, and every page checks
//! the same rule itself. Each entry is data with one [`Rule`]; the capability constructors of
//! `authz` use the same rules, so a menu entry is shown exactly when its page opens.

use super::Caller;
use crate::domain::{Completeness, Permission};

/// Who may see a menu entry and open its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every signed-in user.
    Anyone,
    /// Business users (members of an organization) holding the permission.
    BusinessHolding(Permission),
    /// All individuals, and business users holding the permission.
    IndividualsOrBusinessHolding(Permission),
    /// Anyone holding the permission.
    AnyoneHolding(Permission),
    /// Pending Approvals (APR-2, APR-3, APR-4): holders of either approval permission in a
    /// company, or the universal approver.
    CompanyApprover,
    /// The merchant's staff (CON).
    MerchantAdmin,
}

impl Rule {
    pub fn allows(self, caller: &Caller) -> bool {
        let business = caller.organization_id().is_some();
        match self {
            Rule::Anyone => true,
            Rule::BusinessHolding(p) => business && caller.holds(p),
            Rule::IndividualsOrBusinessHolding(p) => {
                (!business && !caller.is_merchant_admin()) || (business && caller.holds(p))
            }
            Rule::AnyoneHolding(p) => caller.holds(p),
            Rule::CompanyApprover => {
                caller.is_universal_approver()
                    || business
                        && (caller.holds(Permission::PendingApprovals)
                            || caller.holds(Permission::PendingApprovalsGroup))
            }
            Rule::MerchantAdmin => caller.is_merchant_admin(),
        }
    }
}

/// One menu entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuItem {
    pub label: &'static str,
    pub href: &'static str,
    pub rule: Rule,
}

const MENU: &[MenuItem] = &[
    // ADM-9: every signed-in user sees at least My Profile.
    MenuItem { label: "My Profile", href: "/profile", rule: Rule::Anyone },
    MenuItem { label: "Pending Approvals", href: "/admin/approvals", rule: Rule::CompanyApprover },
    // ADM-1, ADM-7: the company's people and its custom roles.
    MenuItem { label: "Contacts", href: "/admin/contacts", rule: Rule::BusinessHolding(Permission::ManageContacts) },
    MenuItem { label: "Roles", href: "/admin/roles", rule: Rule::BusinessHolding(Permission::ManageRoles) },
    // PRO-5, PRO-6: read with ORG_DETAILS (editable with UPDATE_ORG_DETAILS, checked by the page).
    MenuItem { label: "Company profile", href: "/company", rule: Rule::BusinessHolding(Permission::OrgDetails) },
    MenuItem {
        label: "Company administrators",
        href: "/company/administrators",
        rule: Rule::BusinessHolding(Permission::OrgAdministrators),
    },
    // CON: the console has its own menu (`api::console::CONSOLE_SECTIONS`) on every page.
    MenuItem { label: "Console", href: "/console", rule: Rule::MerchantAdmin },
];

/// PAR-1: the one entry of a user whose customer record is incomplete.
const COMPLETE_REGISTRATION: MenuItem =
    MenuItem { label: "Complete your registration", href: "/register/confirm", rule: Rule::Anyone };

/// The entries `caller` may see; nothing while a password change is pending (LOG-3) or a
/// confirmation awaits approval, only the way to complete an incomplete record (PAR-1).
pub fn menu(caller: &Caller) -> Vec<MenuItem> {
    if caller.must_change_password() {
        return Vec::new();
    }
    match caller.completeness() {
        Completeness::Complete => {}
        Completeness::Partial(_) => return vec![COMPLETE_REGISTRATION],
        Completeness::AwaitingApproval => return Vec::new(),
    }
    MENU.iter().copied().filter(|item| item.rule.allows(caller)).collect()
}
