//! The merchant's catalogue of access (CON-2): merchant roles and their permissions,
//! enrollments (APR-10) and specialty sites with their required role (ADM-5). Keys and names
//! follow the rules of `approval_setup.rs`.

use serde::{Deserialize, Serialize};

use super::admin_role::{permission_label, MAX_ROLE_DESCRIPTION};
use super::approval::one_or_many;
use super::approval_setup::{parse_key, parse_name};
use super::field::FieldError;
use super::Permission;

pub const ROLE_NAME_TAKEN: &str = "A role with this name already exists";

/// The permissions without which a company administrator is no administrator: approving their
/// staff (the seeded definition routes staff to holders of PENDING_APPROVALS, APR-2), managing
/// the company's people (ADM-1) and handing on administration (ADM-4). A merchant may change
/// the rest of the seeded Primary User roles, never these.
pub const PRIMARY_USER_ESSENTIALS: [Permission; 3] =
    [Permission::PendingApprovals, Permission::ManageContacts, Permission::AssignRoles];

/// The permissions the seeded role `key` must keep.
pub fn essential_permissions(key: Option<&str>) -> &'static [Permission] {
    match key {
        Some("primary_user" | "partner_primary_user") => &PRIMARY_USER_ESSENTIALS,
        _ => &[],
    }
}

/// A merchant role: Name `name`*, Description `description`, Permissions `permissions` (one
/// checkbox per permission, valued with its code; none is allowed: a role may serve only as a
/// site's required role). For a seeded role only the permissions are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MerchantRoleForm {
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "one_or_many")]
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRole {
    pub name: String,
    pub description: Option<String>,
    /// Sorted, without repeats.
    pub permissions: Vec<Permission>,
}

impl MerchantRoleForm {
    /// The permissions chosen; an unknown code, or an essential one missing, is refused on
    /// `permissions`.
    pub fn validate_permissions(&self, essentials: &[Permission]) -> Result<Vec<Permission>, FieldError> {
        let mut permissions = Vec::new();
        for code in &self.permissions {
            match code.trim().parse::<Permission>() {
                Ok(p) => permissions.push(p),
                Err(_) => return Err(FieldError::new("permissions", "Choose only permissions from the list")),
            }
        }
        permissions.sort();
        permissions.dedup();
        let missing: Vec<&str> =
            essentials.iter().filter(|p| !permissions.contains(p)).map(|p| permission_label(*p)).collect();
        if !missing.is_empty() {
            return Err(FieldError::new("permissions", format!("This role must keep: {}", missing.join(", "))));
        }
        Ok(permissions)
    }

    /// Every field of a merchant role made in the console.
    pub fn validate(&self) -> Result<MerchantRole, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = parse_name(&self.name, "Enter a name for the role")
            .map_err(|m| errors.push(FieldError::new("name", m)))
            .ok();
        let description = parse_description(&self.description).map_err(|e| errors.push(e)).ok();
        let permissions = self.validate_permissions(&[]).map_err(|e| errors.push(e)).ok();
        match (name, description, permissions) {
            (Some(name), Some(description), Some(permissions)) if errors.is_empty() => {
                Ok(MerchantRole { name, description, permissions })
            }
            _ => Err(errors),
        }
    }
}

fn parse_description(raw: &str) -> Result<Option<String>, FieldError> {
    let description = raw.trim();
    if description.chars().count() > MAX_ROLE_DESCRIPTION {
        return Err(FieldError::new(
            "description",
            format!("The description must be at most {MAX_ROLE_DESCRIPTION} characters"),
        ));
    }
    if description.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new("description", "The description contains characters that cannot be stored"));
    }
    Ok((!description.is_empty()).then(|| description.to_owned()))
}

/// Enrollment (APR-10): Key `key`* (on creation only), Name `name`*, Description
/// `description`, Approval definition `approval_definition_id` (empty: no approval), Roles
/// `roles`* (checkboxes of role ids), Active `active` (checkbox).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnrollmentForm {
    pub key: String,
    pub name: String,
    pub description: String,
    pub approval_definition_id: String,
    #[serde(deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentInput {
    /// `None` when editing: a key never changes (users ask for an enrollment by its key).
    pub key: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub approval_definition_id: Option<String>,
    /// Sorted, without repeats.
    pub role_ids: Vec<String>,
    pub active: bool,
}

impl EnrollmentForm {
    pub fn validate(&self, creating: bool) -> Result<EnrollmentInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let key =
            if creating { parse_key(&self.key).map_err(|m| errors.push(FieldError::new("key", m))).ok() } else { None };
        let name = parse_name(&self.name, "Enter a name for the enrollment")
            .map_err(|m| errors.push(FieldError::new("name", m)))
            .ok();
        let description = parse_description(&self.description).map_err(|e| errors.push(e)).ok().flatten();
        let mut role_ids: Vec<String> =
            self.roles.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
        role_ids.sort();
        role_ids.dedup();
        if role_ids.is_empty() {
            errors.push(FieldError::new("roles", "Choose at least one role: an enrollment grants roles"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let definition = self.approval_definition_id.trim();
        Ok(EnrollmentInput {
            key,
            name: name.unwrap_or_default(),
            description,
            approval_definition_id: (!definition.is_empty()).then(|| definition.to_owned()),
            role_ids,
            active: self.active,
        })
    }
}

/// Specialty site (ADM-5): Key `key`* (on creation only), Name `name`*, Required role
/// `required_role_id` (empty: none), Active `active` (checkbox).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteForm {
    pub key: String,
    pub name: String,
    pub required_role_id: String,
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInput {
    pub key: Option<String>,
    pub name: String,
    pub required_role_id: Option<String>,
    pub active: bool,
}

impl SiteForm {
    pub fn validate(&self, creating: bool) -> Result<SiteInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let key =
            if creating { parse_key(&self.key).map_err(|m| errors.push(FieldError::new("key", m))).ok() } else { None };
        let name = parse_name(&self.name, "Enter a name for the site")
            .map_err(|m| errors.push(FieldError::new("name", m)))
            .ok();
        if !errors.is_empty() {
            return Err(errors);
        }
        let role = self.required_role_id.trim();
        Ok(SiteInput {
            key,
            name: name.unwrap_or_default(),
            required_role_id: (!role.is_empty()).then(|| role.to_owned()),
            active: self.active,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    // covers: CON-2
    #[test]
    fn a_merchant_role_may_have_no_permission_but_never_an_unknown_one() {
        let role = |permissions: &[&str]| MerchantRoleForm {
            name: " Trade   desk ".into(),
            description: " ".into(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        };
        let bare = role(&[]).validate().unwrap();
        assert_eq!((bare.name.as_str(), bare.description, bare.permissions.len()), ("Trade desk", None, 0));
        let two = role(&["VIEW_ACCOUNTS", "ORG_DETAILS", "VIEW_ACCOUNTS"]).validate().unwrap();
        assert_eq!(two.permissions, [Permission::OrgDetails, Permission::ViewAccounts]);
        let errors = role(&["ROOT"]).validate().unwrap_err();
        assert_eq!(message_for(&errors, "permissions"), Some("Choose only permissions from the list"));
        let errors = MerchantRoleForm::default().validate().unwrap_err();
        assert_eq!(message_for(&errors, "name"), Some("Enter a name for the role"));
    }

    // covers: CON-2, ADM-7
    #[test]
    fn the_primary_user_roles_keep_their_essential_permissions() {
        assert_eq!(essential_permissions(Some("primary_user")), PRIMARY_USER_ESSENTIALS);
        assert_eq!(essential_permissions(Some("partner_primary_user")), PRIMARY_USER_ESSENTIALS);
        assert!(essential_permissions(Some("business_user")).is_empty());
        assert!(essential_permissions(None).is_empty());
        let form = MerchantRoleForm { permissions: vec!["PENDING_APPROVALS".into()], ..Default::default() };
        let error = form.validate_permissions(&PRIMARY_USER_ESSENTIALS).unwrap_err();
        assert_eq!(error.message, "This role must keep: Manage contacts, Assign roles");
        let all: Vec<String> = PRIMARY_USER_ESSENTIALS.iter().map(|p| p.to_string()).collect();
        let kept = MerchantRoleForm { permissions: all, ..Default::default() };
        assert_eq!(kept.validate_permissions(&PRIMARY_USER_ESSENTIALS).unwrap().len(), 3);
    }

    // covers: APR-10, CON-2
    #[test]
    fn an_enrollment_grants_at_least_one_role_and_keeps_its_key_when_edited() {
        let posted: EnrollmentForm = serde_html_form::from_str(
            "key=trade&name=Trade+pricing&approval_definition_id=&roles=r2&roles=r1&roles=r2&active=on",
        )
        .unwrap();
        let created = posted.validate(true).unwrap();
        assert_eq!(created.key.as_deref(), Some("trade"));
        assert_eq!(
            (created.role_ids.clone(), created.approval_definition_id, created.active),
            (vec!["r1".into(), "r2".into()], None, true)
        );
        let edited = EnrollmentForm { key: "Not A Key".into(), ..posted.clone() }.validate(false).unwrap();
        assert_eq!(edited.key, None, "the key is not read when editing");
        let errors = EnrollmentForm { key: "Bad".into(), roles: vec![], ..posted }.validate(true).unwrap_err();
        assert!(message_for(&errors, "key").is_some());
        assert_eq!(message_for(&errors, "roles"), Some("Choose at least one role: an enrollment grants roles"));
        let unchecked: EnrollmentForm = serde_html_form::from_str("name=x&roles=r1").unwrap();
        assert!(!unchecked.active, "an unchecked box is not posted");
    }

    // covers: ADM-5, CON-2
    #[test]
    fn a_site_has_a_key_a_name_and_maybe_a_required_role() {
        let site = SiteForm { key: "outlet".into(), name: "Outlet".into(), required_role_id: " ".into(), active: true };
        assert_eq!(
            site.validate(true).unwrap(),
            SiteInput { key: Some("outlet".into()), name: "Outlet".into(), required_role_id: None, active: true }
        );
        let errors = SiteForm::default().validate(true).unwrap_err();
        assert_eq!(message_for(&errors, "key"), Some("Enter a key"));
        assert_eq!(message_for(&errors, "name"), Some("Enter a name for the site"));
        assert!(SiteForm { name: "Outlet".into(), ..Default::default() }.validate(false).is_ok());
    }
}
