//! A company's custom role (ADM-7): the form a primary user fills in, and its rules — a name,
//! an optional description, and at least one permission, each one the primary user holds
//! (no escalation: a role is never wider than its author).

use serde::{Deserialize, Serialize};

use super::approval::one_or_many;
use super::field::FieldError;
use super::{Permission, PermissionSet};

pub const MAX_ROLE_NAME: usize = 100;
pub const MAX_ROLE_DESCRIPTION: usize = 500;

/// The message of a name another of the company's roles already has (the database decides).
pub const ROLE_NAME_TAKEN: &str = "A role with this name already exists";

/// The form as posted: Name `name`*, Description `description`, Permissions `permissions`
/// (one checkbox per permission, valued with its code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "one_or_many")]
    pub permissions: Vec<String>,
}

/// A validated custom role, ready for the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    pub name: String,
    pub description: Option<String>,
    /// Sorted, without repeats.
    pub permissions: Vec<Permission>,
}

impl RoleForm {
    /// Every field at once (REG-14). `offered` is the author's own permissions: a code outside
    /// it, or one that is no permission at all, is refused on `permissions` (ADM-7).
    pub fn validate(&self, offered: &PermissionSet) -> Result<RoleDefinition, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter a name for the role"));
        } else if name.chars().count() > MAX_ROLE_NAME {
            errors.push(FieldError::new("name", format!("The name must be at most {MAX_ROLE_NAME} characters")));
        }
        let description = self.description.trim();
        if description.chars().count() > MAX_ROLE_DESCRIPTION {
            errors.push(FieldError::new(
                "description",
                format!("The description must be at most {MAX_ROLE_DESCRIPTION} characters"),
            ));
        } else if description.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            errors.push(FieldError::new("description", "The description contains characters that cannot be stored"));
        }
        let mut permissions = Vec::new();
        let mut foreign = false;
        for code in &self.permissions {
            match code.trim().parse::<Permission>() {
                Ok(p) if offered.holds(p) => permissions.push(p),
                Ok(_) | Err(_) => foreign = true,
            }
        }
        permissions.sort();
        permissions.dedup();
        if foreign {
            errors.push(FieldError::new("permissions", "Choose only permissions you hold yourself"));
        } else if permissions.is_empty() {
            errors.push(FieldError::new("permissions", "Choose at least one permission"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RoleDefinition { name, description: (!description.is_empty()).then(|| description.to_owned()), permissions })
    }

    /// The form showing a stored role.
    pub fn of(name: &str, description: Option<&str>, permissions: &[Permission]) -> Self {
        Self {
            name: name.to_owned(),
            description: description.unwrap_or_default().to_owned(),
            permissions: permissions.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// A permission's name as pages show it (SPEC §7's codes, in words).
pub fn permission_label(permission: Permission) -> &'static str {
    match permission {
        Permission::PendingApprovals => "Pending approvals",
        Permission::PendingApprovalsGroup => "Approval group requests",
        Permission::ManageContacts => "Manage contacts",
        Permission::ManageUsers => "Manage users",
        Permission::AssignRoles => "Assign roles",
        Permission::AssignSites => "Assign sites",
        Permission::AssignAccounts => "Assign accounts",
        Permission::ManageRoles => "Manage roles",
        Permission::OrgDetails => "See the company profile",
        Permission::UpdateOrgDetails => "Update the company profile",
        Permission::OrgAdministrators => "See the company administrators",
        Permission::ViewAccounts => "View accounts",
    }
}

/// Several permissions on one line, in code order ("None" for an empty set).
pub fn permission_list(permissions: &[Permission]) -> String {
    if permissions.is_empty() {
        return "None".to_owned();
    }
    permissions.iter().map(|p| permission_label(*p)).collect::<Vec<_>>().join(", ")
}

/// ADM-4, ADM-7: whether a role of `permissions` stays within `holder`'s own permissions.
pub fn within(permissions: &[Permission], holder: &PermissionSet) -> bool {
    permissions.iter().all(|p| holder.holds(*p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn offered() -> PermissionSet {
        [Permission::PendingApprovals, Permission::ManageContacts, Permission::OrgDetails].into_iter().collect()
    }

    fn form(name: &str, permissions: &[&str]) -> RoleForm {
        RoleForm {
            name: name.into(),
            description: "  Buyers of the north office ".into(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    // covers: ADM-7
    #[test]
    fn a_role_has_a_name_and_some_of_the_authors_permissions() {
        let role = form("  Order   desk ", &["PENDING_APPROVALS", "ORG_DETAILS", "PENDING_APPROVALS"])
            .validate(&offered())
            .unwrap();
        assert_eq!(role.name, "Order desk");
        assert_eq!(role.description.as_deref(), Some("Buyers of the north office"));
        assert_eq!(role.permissions, vec![Permission::PendingApprovals, Permission::OrgDetails]);
        let bare = RoleForm { description: " ".into(), ..form("Desk", &["ORG_DETAILS"]) }.validate(&offered()).unwrap();
        assert_eq!(bare.description, None);
    }

    // covers: ADM-7, REG-14
    #[test]
    fn a_permission_the_author_lacks_or_an_unknown_code_is_refused_on_the_field() {
        for bad in ["MANAGE_ROLES", "SUPERUSER", ""] {
            let errors = form("Desk", &["ORG_DETAILS", bad]).validate(&offered()).unwrap_err();
            assert_eq!(message_for(&errors, "permissions"), Some("Choose only permissions you hold yourself"), "{bad}");
        }
        let errors = form("", &[]).validate(&offered()).unwrap_err();
        assert_eq!(message_for(&errors, "name"), Some("Enter a name for the role"));
        assert_eq!(message_for(&errors, "permissions"), Some("Choose at least one permission"));
        let long = "x".repeat(MAX_ROLE_NAME + 1);
        assert!(message_for(&form(&long, &["ORG_DETAILS"]).validate(&offered()).unwrap_err(), "name").is_some());
    }

    // covers: ADM-7
    #[test]
    fn one_checkbox_or_several_are_read_from_a_plain_post() {
        let one: RoleForm = serde_html_form::from_str("name=Desk&permissions=ORG_DETAILS").unwrap();
        assert_eq!(one.permissions, vec!["ORG_DETAILS"]);
        let two: RoleForm =
            serde_html_form::from_str("name=Desk&permissions=ORG_DETAILS&permissions=MANAGE_CONTACTS").unwrap();
        assert_eq!(two.permissions.len(), 2);
        let none: RoleForm = serde_html_form::from_str("name=Desk").unwrap();
        assert!(none.permissions.is_empty());
    }

    // covers: ADM-4, ADM-7
    #[test]
    fn a_role_is_within_a_holder_when_every_permission_is_theirs() {
        assert!(within(&[Permission::OrgDetails], &offered()));
        assert!(within(&[], &offered()));
        assert!(!within(&[Permission::OrgDetails, Permission::ManageRoles], &offered()));
    }
}
