//! The merchant's approval set-up (CON-2, APR-1 … APR-3): the forms of approval definitions,
//! their ordered steps, approval groups and their members, and the rules of what they may hold.
//! Keys and names here are shared with the catalog forms (`catalog.rs`).

use serde::{Deserialize, Serialize};

use super::field::FieldError;
use super::registry_id::RegistryId;
use super::username::Username;
use super::ApproverKind;

pub const MAX_KEY: usize = 50;
pub const MAX_NAME: usize = 100;
/// A definition is a short hierarchy (APR-2); more steps than this is a mistake, not a need.
pub const MAX_STEPS: usize = 10;

pub const KEY_RULE: &str = "Use 2 to 50 lowercase letters, digits and _, starting with a letter";
pub const KEY_TAKEN: &str = "This key is already used";
pub const GROUP_NAME_TAKEN: &str = "An approval group with this name already exists";

/// A stable identifier (definitions, enrollments, sites): `[a-z][a-z0-9_]{1,49}`. Keys are what
/// other systems and links name, so they are never guessed at: anything else is refused.
pub fn parse_key(raw: &str) -> Result<String, &'static str> {
    let key = raw.trim();
    if key.is_empty() {
        return Err("Enter a key");
    }
    let valid = (2..=MAX_KEY).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(KEY_RULE)
    }
}

/// A display name: inner whitespace collapsed, 1 to `MAX_NAME` characters, no control characters.
pub fn parse_name(raw: &str, missing: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(missing.to_owned());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("The name must be at most {MAX_NAME} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("The name contains characters that cannot be stored".to_owned());
    }
    Ok(name)
}

/// New approval definition: Key `key`*, Name `name`*.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DefinitionForm {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDefinition {
    pub key: String,
    pub name: String,
}

impl DefinitionForm {
    pub fn validate(&self) -> Result<NewDefinition, Vec<FieldError>> {
        let mut errors = Vec::new();
        let key = parse_key(&self.key).map_err(|m| errors.push(FieldError::new("key", m))).ok();
        let name = parse_name(&self.name, "Enter a name").map_err(|m| errors.push(FieldError::new("name", m))).ok();
        match (key, name) {
            (Some(key), Some(name)) if errors.is_empty() => Ok(NewDefinition { key, name }),
            _ => Err(errors),
        }
    }
}

/// A definition's name (its key never changes: user types and enrollments name it by id, other
/// systems by key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DefinitionNameForm {
    pub name: String,
}

impl DefinitionNameForm {
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        parse_name(&self.name, "Enter a name").map_err(|m| vec![FieldError::new("name", m)])
    }
}

/// Add a step: Approver `approver_kind`* (one of [`ApproverKind`]), with Username `username` for
/// a named user or Approval group `group_id` for a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub approver_kind: String,
    pub username: String,
    pub group_id: String,
}

/// Who decides a new step, as entered (the use case checks that the user or group can decide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepApprover {
    PrimaryUsers,
    User(Username),
    Group(String),
    Universal,
}

impl StepForm {
    pub fn validate(&self) -> Result<StepApprover, Vec<FieldError>> {
        let Ok(kind) = self.approver_kind.trim().parse::<ApproverKind>() else {
            return Err(vec![FieldError::new("approver_kind", "Choose who approves this step")]);
        };
        match kind {
            ApproverKind::PrimaryUsers => Ok(StepApprover::PrimaryUsers),
            ApproverKind::Universal => Ok(StepApprover::Universal),
            ApproverKind::User => Username::parse(&self.username)
                .map(StepApprover::User)
                .map_err(|e| vec![FieldError::new("username", e.to_string())]),
            ApproverKind::Group => match self.group_id.trim() {
                "" => Err(vec![FieldError::new("group_id", "Choose an approval group")]),
                id => Ok(StepApprover::Group(id.to_owned())),
            },
        }
    }
}

/// A step moves up or down one place (a row button; the route names the direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepMove {
    Up,
    Down,
}

/// Who decides a step, in the console's words (APR-2).
pub fn approver_kind_label(kind: ApproverKind) -> &'static str {
    match kind {
        ApproverKind::PrimaryUsers => "The company's primary users",
        ApproverKind::User => "A named user",
        ApproverKind::Group => "An approval group",
        ApproverKind::Universal => "The universal approver",
    }
}

/// What a step of each kind means for routing, shown beside the choice (APR-2, APR-3).
pub fn approver_kind_hint(kind: ApproverKind) -> &'static str {
    match kind {
        ApproverKind::PrimaryUsers => {
            "Any user of the registrant's company holding Pending approvals decides. A registration without a company (an individual) waits for the merchant's admins."
        }
        ApproverKind::User => {
            "This user decides, whatever the company. They must be a merchant admin or hold Pending approvals."
        }
        ApproverKind::Group => {
            "Members of the group holding Approval group requests decide the requests of their own company (merchant admins: every request)."
        }
        ApproverKind::Universal => "The user named by the setting universal_approver decides.",
    }
}

/// An approval group's scope: `all` organizations, or one `organization`.
pub const SCOPE_ALL: &str = "all";
pub const SCOPE_ORGANIZATION: &str = "organization";

/// Approval group: Name `name`*, Scope `scope`* (`all` or `organization`), Organization
/// `organization` (its Registry ID or its exact name) for a group of one organization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub name: String,
    pub scope: String,
    pub organization: String,
}

/// How the organization of a group was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganizationRef {
    RegistryId(RegistryId),
    Name(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupScope {
    AllOrganizations,
    Organization(OrganizationRef),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    pub name: String,
    pub scope: GroupScope,
}

impl GroupForm {
    pub fn validate(&self) -> Result<GroupInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = parse_name(&self.name, "Enter a name for the group")
            .map_err(|m| errors.push(FieldError::new("name", m)))
            .ok();
        let scope = match self.scope.trim() {
            SCOPE_ALL => Some(GroupScope::AllOrganizations),
            SCOPE_ORGANIZATION => {
                let named = self.organization.split_whitespace().collect::<Vec<_>>().join(" ");
                if named.is_empty() {
                    errors.push(FieldError::new("organization", "Enter the organization's Registry ID or name"));
                    None
                } else if named.chars().count() > 200 {
                    errors.push(FieldError::new("organization", "There is no organization with this name"));
                    None
                } else {
                    Some(GroupScope::Organization(match RegistryId::parse(&named) {
                        Ok(id) => OrganizationRef::RegistryId(id),
                        Err(_) => OrganizationRef::Name(named),
                    }))
                }
            }
            _ => {
                errors.push(FieldError::new("scope", "Choose the organizations the group approves for"));
                None
            }
        };
        match (name, scope) {
            (Some(name), Some(scope)) if errors.is_empty() => Ok(GroupInput { name, scope }),
            _ => Err(errors),
        }
    }
}

/// Add a member: Username `username`*.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub username: String,
}

impl MemberForm {
    pub fn validate(&self) -> Result<Username, Vec<FieldError>> {
        Username::parse(&self.username).map_err(|e| vec![FieldError::new("username", e.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    // covers: CON-2
    #[test]
    fn keys_are_lowercase_identifiers_and_names_are_tidied() {
        for good in ["company_primary_users", "b2", "x_1"] {
            assert_eq!(parse_key(&format!(" {good} ")).as_deref(), Ok(good));
        }
        for bad in ["A", "a", "1abc", "with space", "dash-key", "émoji", &"k".repeat(MAX_KEY + 1), "a~b"] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_key(""), Err("Enter a key"));
        assert_eq!(parse_name("  Two   steps ", "x").as_deref(), Ok("Two steps"));
        assert!(parse_name(&"n".repeat(MAX_NAME + 1), "x").is_err());
        assert_eq!(parse_name(" ", "Enter a name"), Err("Enter a name".to_owned()));
    }

    // covers: CON-2, REG-14
    #[test]
    fn a_new_definition_reports_every_field_at_once() {
        let errors = DefinitionForm { key: "Bad Key".into(), name: "".into() }.validate().unwrap_err();
        assert_eq!(message_for(&errors, "key"), Some(KEY_RULE));
        assert_eq!(message_for(&errors, "name"), Some("Enter a name"));
        let ok = DefinitionForm { key: "two_step".into(), name: " Two  steps".into() }.validate().unwrap();
        assert_eq!(ok, NewDefinition { key: "two_step".into(), name: "Two steps".into() });
    }

    // covers: APR-2, CON-2
    #[test]
    fn a_step_names_its_approver_as_its_kind_requires() {
        let step = |kind: &str, username: &str, group: &str| StepForm {
            approver_kind: kind.into(),
            username: username.into(),
            group_id: group.into(),
        };
        assert_eq!(step("primary_users", "ignored", "").validate(), Ok(StepApprover::PrimaryUsers));
        assert_eq!(step("universal", "", "g").validate(), Ok(StepApprover::Universal));
        assert_eq!(step("group", "", " g1 ").validate(), Ok(StepApprover::Group("g1".into())));
        assert!(
            matches!(step("user", "Lee.Chen", "").validate(), Ok(StepApprover::User(u)) if u.as_str() == "Lee.Chen")
        );
        let errors = step("user", "", "").validate().unwrap_err();
        assert_eq!(message_for(&errors, "username"), Some("Enter a username"));
        let errors = step("group", "", " ").validate().unwrap_err();
        assert_eq!(message_for(&errors, "group_id"), Some("Choose an approval group"));
        for bad in ["", "boss", "PRIMARY_USERS"] {
            let errors = step(bad, "", "").validate().unwrap_err();
            assert_eq!(message_for(&errors, "approver_kind"), Some("Choose who approves this step"), "{bad}");
        }
    }

    // covers: APR-3, CON-2
    #[test]
    fn a_group_is_for_all_organizations_or_one_named_by_registry_id_or_name() {
        let group = |scope: &str, organization: &str| GroupForm {
            name: "Regional desk".into(),
            scope: scope.into(),
            organization: organization.into(),
        };
        assert_eq!(group("all", "ignored").validate().unwrap().scope, GroupScope::AllOrganizations);
        let by_id = group("organization", " r-acme01 ").validate().unwrap();
        assert_eq!(
            by_id.scope,
            GroupScope::Organization(OrganizationRef::RegistryId(RegistryId::parse("R-ACME01").unwrap()))
        );
        let by_name = group("organization", " Acme   Tools ").validate().unwrap();
        assert_eq!(by_name.scope, GroupScope::Organization(OrganizationRef::Name("Acme Tools".into())));
        let errors = group("organization", "").validate().unwrap_err();
        assert_eq!(message_for(&errors, "organization"), Some("Enter the organization's Registry ID or name"));
        let errors = GroupForm::default().validate().unwrap_err();
        assert_eq!(message_for(&errors, "name"), Some("Enter a name for the group"));
        assert_eq!(message_for(&errors, "scope"), Some("Choose the organizations the group approves for"));
    }

    // covers: CON-2
    #[test]
    fn forms_read_from_a_plain_post() {
        let step: StepForm = serde_html_form::from_str("approver_kind=group&group_id=g1").unwrap();
        assert_eq!(step.validate(), Ok(StepApprover::Group("g1".into())));
        let member: MemberForm = serde_html_form::from_str("username=lee.chen").unwrap();
        assert_eq!(member.validate().unwrap().as_str(), "lee.chen");
    }
}
