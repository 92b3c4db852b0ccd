//! CON-1: a user type as the merchant edits it — key, names, group, kind, approval definition,
//! roles, enrollments, Active and self-service — and its rules.

use serde::{Deserialize, Serialize};
use strum::IntoEnumIterator;

use super::approval::one_or_many;
use super::field::FieldError;
use super::UserTypeKind;

pub const MAX_KEY: usize = 40;
pub const MAX_LONG_NAME: usize = 120;
pub const MAX_SHORT_NAME: usize = 60;

/// The message of a key another type already has (the database decides).
pub const USER_TYPE_KEY_TAKEN: &str = "Another user type has this key";

/// The headings of `/register` (REG-1) a type can be listed under; none lists it under "Others".
pub const USER_TYPE_GROUPS: &[(&str, &str)] =
    &[("individual", "Individual"), ("company", "Company"), ("partner", "Partner")];

/// The form as posted (field names are the contract of CON-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserTypeForm {
    pub key: String,
    pub long_name: String,
    pub short_name: String,
    pub group: String,
    pub kind: String,
    pub approval_definition: String,
    #[serde(deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub enrollments: Vec<String>,
    #[serde(deserialize_with = "crate::domain::checkbox::deserialize")]
    pub active: bool,
    #[serde(deserialize_with = "crate::domain::checkbox::deserialize")]
    pub self_service: bool,
    pub sort_order: String,
}

/// A validated user type, ready for the use case. Ids of the definition, roles and enrollments
/// are checked against the database by the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTypeDefinition {
    pub key: String,
    pub long_name: String,
    pub short_name: String,
    pub group: Option<String>,
    pub kind: UserTypeKind,
    pub approval_definition_id: Option<String>,
    /// Sorted, without repeats.
    pub role_ids: Vec<String>,
    /// Sorted, without repeats.
    pub enrollment_ids: Vec<String>,
    pub is_active: bool,
    pub is_self_service: bool,
    pub sort_order: i64,
}

impl UserTypeForm {
    /// Every field at once (REG-14).
    pub fn validate(&self) -> Result<UserTypeDefinition, Vec<FieldError>> {
        let mut errors = Vec::new();
        let key = self.key.trim().to_owned();
        if key.is_empty() {
            errors.push(FieldError::new("key", "Enter a key"));
        } else if key.len() > MAX_KEY
            || !key.starts_with(|c: char| c.is_ascii_lowercase())
            || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(FieldError::new(
                "key",
                format!(
                    "Use up to {MAX_KEY} lower-case letters, digits and underscores, starting with a letter \
                     (it is part of the registration address)"
                ),
            ));
        }
        let long_name = one_line(&self.long_name);
        if long_name.is_empty() {
            errors.push(FieldError::new("long_name", "Enter the long name registrants see"));
        } else if long_name.chars().count() > MAX_LONG_NAME {
            errors.push(FieldError::new(
                "long_name",
                format!("The long name must be at most {MAX_LONG_NAME} characters"),
            ));
        }
        let short_name = one_line(&self.short_name);
        if short_name.is_empty() {
            errors.push(FieldError::new("short_name", "Enter a short name"));
        } else if short_name.chars().count() > MAX_SHORT_NAME {
            errors.push(FieldError::new(
                "short_name",
                format!("The short name must be at most {MAX_SHORT_NAME} characters"),
            ));
        }
        let group = self.group.trim();
        let group = if group.is_empty() {
            None
        } else if USER_TYPE_GROUPS.iter().any(|(g, _)| *g == group) {
            Some(group.to_owned())
        } else {
            errors.push(FieldError::new("group", "Choose one of the groups"));
            None
        };
        let kind = self.kind.trim().parse::<UserTypeKind>().ok();
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Choose what this type registers"));
        }
        let sort_order = match self.sort_order.trim() {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(n) if (0..=100_000).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new("sort_order", "Enter a whole number from 0 to 100000"));
                    0
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UserTypeDefinition {
            key,
            long_name,
            short_name,
            group,
            kind: kind.unwrap_or(UserTypeKind::Individual),
            approval_definition_id: Some(self.approval_definition.trim().to_owned()).filter(|d| !d.is_empty()),
            role_ids: ids(&self.roles),
            enrollment_ids: ids(&self.enrollments),
            is_active: self.active,
            is_self_service: self.self_service,
            sort_order,
        })
    }
}

/// A kind's name as the console shows it.
pub fn kind_label(kind: UserTypeKind) -> &'static str {
    match kind {
        UserTypeKind::Individual => "Individual",
        UserTypeKind::CompanyAdmin => "Company administrator",
        UserTypeKind::CompanyBusiness => "Company business user",
        UserTypeKind::PartnerAdmin => "Partner administrator",
        UserTypeKind::PartnerBusiness => "Partner business user",
        UserTypeKind::OnlineAccessIndividual => "Online access individual",
        UserTypeKind::OnlineAccessBusiness => "Online access business",
    }
}

/// Every kind, in the order the form offers them.
pub fn kinds() -> impl Iterator<Item = UserTypeKind> {
    UserTypeKind::iter()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ids(values: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = values.iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn form() -> UserTypeForm {
        UserTypeForm {
            key: "reseller".into(),
            long_name: "  Register as a   reseller ".into(),
            short_name: "Reseller".into(),
            group: "partner".into(),
            kind: "partner_admin".into(),
            approval_definition: String::new(),
            roles: vec!["r2".into(), "r1".into(), "r2".into()],
            enrollments: vec![],
            active: true,
            self_service: true,
            sort_order: "45".into(),
        }
    }

    // covers: CON-1
    #[test]
    fn a_valid_type_is_normalised() {
        let t = form().validate().unwrap();
        assert_eq!(t.long_name, "Register as a reseller");
        assert_eq!(t.group.as_deref(), Some("partner"));
        assert_eq!(t.kind, UserTypeKind::PartnerAdmin);
        assert_eq!(t.approval_definition_id, None);
        assert_eq!(t.role_ids, vec!["r1", "r2"]);
        assert_eq!(t.sort_order, 45);
        let ungrouped = UserTypeForm { group: String::new(), sort_order: String::new(), ..form() }.validate().unwrap();
        assert_eq!((ungrouped.group, ungrouped.sort_order), (None, 0));
    }

    // covers: CON-1, REG-14
    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = UserTypeForm {
            key: "Has Space".into(),
            long_name: " ".into(),
            short_name: "x".repeat(MAX_SHORT_NAME + 1),
            group: "vip".into(),
            kind: "superuser".into(),
            sort_order: "-1".into(),
            ..form()
        };
        let errors = bad.validate().unwrap_err();
        for field in ["key", "long_name", "short_name", "group", "kind", "sort_order"] {
            assert!(message_for(&errors, field).is_some(), "{field}: {errors:?}");
        }
        assert_eq!(
            message_for(&UserTypeForm { key: String::new(), ..form() }.validate().unwrap_err(), "key"),
            Some("Enter a key")
        );
        for key in ["1abc", "a-b", "ümlaut", &"a".repeat(MAX_KEY + 1)] {
            assert!(UserTypeForm { key: key.into(), ..form() }.validate().is_err(), "{key}");
        }
    }

    // covers: CON-1
    #[test]
    fn unchecked_boxes_are_absent_from_a_plain_post() {
        let posted: UserTypeForm =
            serde_html_form::from_str("key=a&long_name=A&short_name=A&kind=individual&roles=r1&roles=r2").unwrap();
        assert!(!posted.active && !posted.self_service);
        assert_eq!(posted.roles, vec!["r1", "r2"]);
        let checked: UserTypeForm =
            serde_html_form::from_str("key=a&long_name=A&short_name=A&kind=individual&active=on&self_service=on")
                .unwrap();
        assert!(checked.active && checked.self_service);
        assert!(checked.roles.is_empty());
    }
}
