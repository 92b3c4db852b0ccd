//! Integration users (CON-4) and what they may do through the JSON API (API-2): the scopes
//! (their "admin groups"), the client ID's rules, and the console form that creates and edits
//! one. Sales groups are organizations, chosen by id; the use case checks they exist.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoEnumIterator, IntoStaticStr};

use super::approval::one_or_many;
use super::field::FieldError;

/// API-2: what an integration user may do, one scope per admin group.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
    Serialize,
    Deserialize,
)]
pub enum ApiScope {
    #[strum(serialize = "users:read")]
    #[serde(rename = "users:read")]
    UsersRead,
    #[strum(serialize = "users:write")]
    #[serde(rename = "users:write")]
    UsersWrite,
    #[strum(serialize = "organizations:read")]
    #[serde(rename = "organizations:read")]
    OrganizationsRead,
    #[strum(serialize = "registrations:write")]
    #[serde(rename = "registrations:write")]
    RegistrationsWrite,
    #[strum(serialize = "approvals:read")]
    #[serde(rename = "approvals:read")]
    ApprovalsRead,
    #[strum(serialize = "approvals:write")]
    #[serde(rename = "approvals:write")]
    ApprovalsWrite,
}

impl ApiScope {
    /// What the scope allows, as the console's checkbox says it.
    pub fn label(self) -> &'static str {
        match self {
            Self::UsersRead => "Read users",
            Self::UsersWrite => "Create, disable, enable and delete users",
            Self::OrganizationsRead => "Read organizations",
            Self::RegistrationsWrite => "Submit registrations",
            Self::ApprovalsRead => "Read pending approvals",
            Self::ApprovalsWrite => "Approve and reject requests",
        }
    }

    pub fn all() -> impl Iterator<Item = ApiScope> {
        Self::iter()
    }
}

/// The two kinds of group an integration user has (stored in `integration_user_groups`):
/// admin groups are scopes, sales groups are organizations.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum IntegrationGroupKind {
    Admin,
    Sales,
}

pub const MIN_CLIENT_ID: usize = 3;
pub const MAX_CLIENT_ID: usize = 128;
pub const MAX_INTEGRATION_NAME: usize = 100;
/// More sales groups than this is a configuration mistake, not a sales group.
pub const MAX_SALES_GROUPS: usize = 500;

/// The message of a Client ID another integration user already has (the database decides).
pub const CLIENT_ID_TAKEN: &str = "Another integration user already has this Client ID";

/// A client ID as the identity provider issued it: 3–128 of letters, digits and `. _ - ~`
/// (URL-safe, so HTTP Basic's form encoding of it is the ID itself, RFC 6749 §2.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let id = raw.trim();
        if id.is_empty() {
            return Err("Enter the Client ID");
        }
        let n = id.chars().count();
        if !(MIN_CLIENT_ID..=MAX_CLIENT_ID).contains(&n) {
            return Err("The Client ID must be 3 to 128 characters");
        }
        if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~')) {
            return Err("The Client ID may hold only letters, digits and . _ - ~");
        }
        Ok(Self(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The console's form (CON-4) as posted: Client ID `client_id` (new ones only), Name `name`,
/// admin groups `scopes` and sales groups `organizations` (one checkbox each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntegrationForm {
    pub client_id: String,
    pub name: String,
    #[serde(deserialize_with = "one_or_many")]
    pub scopes: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub organizations: Vec<String>,
}

/// What an integration user may do and for whom, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationAccess {
    /// Empty: the client ID.
    pub name: String,
    /// Sorted, without repeats.
    pub scopes: Vec<ApiScope>,
    /// Organization ids, sorted, without repeats; none = every organization (API-2).
    pub organizations: Vec<String>,
}

impl IntegrationForm {
    /// A new integration user: the Client ID and its access (every problem at once, REG-14).
    pub fn validate_new(&self) -> Result<(ClientId, IntegrationAccess), Vec<FieldError>> {
        let client_id = ClientId::parse(&self.client_id);
        let access = self.validate_access();
        match (client_id, access) {
            (Ok(id), Ok(access)) => Ok((id, access)),
            (id, access) => {
                let mut errors = Vec::new();
                if let Err(message) = id {
                    errors.push(FieldError::new("client_id", message));
                }
                errors.extend(access.err().unwrap_or_default());
                Err(errors)
            }
        }
    }

    /// The editable part (name, scopes, sales groups); the Client ID never changes.
    pub fn validate_access(&self) -> Result<IntegrationAccess, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > MAX_INTEGRATION_NAME {
            errors.push(FieldError::new("name", format!("The name must be at most {MAX_INTEGRATION_NAME} characters")));
        }
        let mut scopes = Vec::new();
        for code in &self.scopes {
            match code.trim().parse::<ApiScope>() {
                Ok(scope) => scopes.push(scope),
                Err(_) => {
                    errors.push(FieldError::new("scopes", "Choose admin groups from the list"));
                    break;
                }
            }
        }
        scopes.sort();
        scopes.dedup();
        let mut organizations: Vec<String> =
            self.organizations.iter().map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect();
        organizations.sort();
        organizations.dedup();
        if organizations.len() > MAX_SALES_GROUPS {
            errors.push(FieldError::new("organizations", format!("Choose at most {MAX_SALES_GROUPS} organizations")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(IntegrationAccess { name, scopes, organizations })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: CON-4, API-2
    #[test]
    fn scopes_are_spelled_as_api_2_names_them_and_round_trip() {
        let names: Vec<String> = ApiScope::all().map(|s| s.to_string()).collect();
        assert_eq!(
            names,
            [
                "users:read",
                "users:write",
                "organizations:read",
                "registrations:write",
                "approvals:read",
                "approvals:write"
            ]
        );
        for scope in ApiScope::all() {
            assert_eq!(scope.to_string().parse::<ApiScope>(), Ok(scope));
            assert_eq!(serde_json::to_string(&scope).unwrap(), format!("\"{scope}\""));
        }
        assert!("users".parse::<ApiScope>().is_err());
    }

    // covers: CON-4
    #[test]
    fn a_client_id_is_url_safe_and_of_reasonable_length() {
        assert_eq!(ClientId::parse("  cpq-prod_01.eu~x ").unwrap().as_str(), "cpq-prod_01.eu~x");
        assert_eq!(ClientId::parse(""), Err("Enter the Client ID"));
        assert!(ClientId::parse("ab").is_err());
        assert!(ClientId::parse(&"a".repeat(129)).is_err());
        assert!(ClientId::parse("has:colon").is_err(), "a colon would break HTTP Basic");
        assert!(ClientId::parse("has space").is_err());
    }

    // covers: CON-4, API-2
    #[test]
    fn the_form_reports_every_problem_and_sorts_its_choices() {
        let form = IntegrationForm {
            client_id: "x".into(),
            name: "n".repeat(101),
            scopes: vec!["users:read".into(), "root".into()],
            organizations: vec![],
        };
        let fields: Vec<String> = form.validate_new().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["client_id", "name", "scopes"]);

        let form = IntegrationForm {
            client_id: "cpq".into(),
            name: "  CPQ   production ".into(),
            scopes: vec!["approvals:write".into(), "users:read".into(), "approvals:write".into()],
            organizations: vec!["b".into(), " a ".into(), "b".into(), "".into()],
        };
        let (id, access) = form.validate_new().unwrap();
        assert_eq!(id.as_str(), "cpq");
        assert_eq!(access.name, "CPQ production");
        assert_eq!(access.scopes, [ApiScope::UsersRead, ApiScope::ApprovalsWrite]);
        assert_eq!(access.organizations, ["a", "b"]);
    }

    #[test]
    fn a_plain_post_with_repeated_checkboxes_reads_into_the_form() {
        let form: IntegrationForm =
            serde_html_form::from_str("client_id=cpq&scopes=users%3Aread&scopes=approvals%3Aread&organizations=o1")
                .unwrap();
        assert_eq!(form.scopes, ["users:read", "approvals:read"]);
        assert_eq!(form.organizations, ["o1"]);
        let one: IntegrationForm = serde_html_form::from_str("client_id=cpq").unwrap();
        assert!(one.scopes.is_empty());
    }
}
