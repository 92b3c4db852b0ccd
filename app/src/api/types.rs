//! Values that cross the wire between the server and the browser.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::{ConflictCode, FieldError, RegistrationRules};

/// The signed-in user as the header shows them (LOG-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub name: String,
    pub username: String,
    pub is_merchant_admin: bool,
    /// A member of an organization (ADM-9's business users): sees Accounts (PRO-3).
    pub is_business: bool,
    /// LOG-3: nothing else until the password is changed.
    pub must_change_password: bool,
    /// ADM-9: the menu entries this user may see, decided on the server.
    pub menu: Vec<MenuEntry>,
    /// PRO-3: the session's account number, and the accounts to switch to (when several).
    pub account: Option<String>,
    pub accounts: Vec<ScopeOption>,
    /// PRO-7: the customers to switch to (with multi-customer access and several of them).
    pub customers: Vec<ScopeOption>,
}

/// One choice of the header's account or customer switch; `current` marks the session's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub id: String,
    pub label: String,
    pub current: bool,
}

/// PRO-3: one of a business user's accounts on their Accounts page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    pub id: String,
    pub account_number: String,
    /// The primary account: the chosen one, or else the first assigned.
    pub is_primary: bool,
    /// The account this session uses.
    pub in_session: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuEntry {
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTypeEntry {
    pub key: String,
    pub long_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTypeGroup {
    pub heading: String,
    pub entries: Vec<UserTypeEntry>,
}

/// What a registration form needs: its type and the rules the browser mirrors (REG-14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationFormInfo {
    pub key: String,
    pub long_name: String,
    pub rules: RegistrationRules,
}

/// A form posted without JavaScript that failed: rendered back with the values (never
/// passwords) and the errors, so nothing the user typed is lost (REG-14, REG-15).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSubmission {
    pub values: HashMap<String, String>,
    pub errors: Vec<FieldError>,
    pub form_error: Option<String>,
    /// Set when the post lost a race (APR-9), so the page can say so instead of "not found".
    pub conflict: Option<ConflictCode>,
    /// Every value of fields posted several times (checkbox groups such as PRO-2's `usages`),
    /// which `values` holds only one of.
    #[serde(default)]
    pub lists: HashMap<String, Vec<String>>,
}

impl FormSubmission {
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// Every value posted for `name` (a group of checkboxes), in posted order.
    pub fn values_of(&self, name: &str) -> Vec<String> {
        self.lists.get(name).cloned().unwrap_or_default()
    }
}

/// Fields never echoed back to the page.
pub const SECRET_FIELDS: &[&str] =
    &["password", "password_confirm", "current_password", "new_password", "new_password_confirm", "temporary_password"];

pub fn without_secrets(mut values: HashMap<String, String>) -> HashMap<String, String> {
    values.retain(|k, _| !SECRET_FIELDS.contains(&k.as_str()));
    values
}

/// The answer of a form whose success may show a secret exactly once (CON-3's generated
/// password): where to go next, or the secret to show on the page instead. With JavaScript the
/// page shows it in place; a plain post renders the page with [`ShownSecret`] (server/forms.rs)
/// — never a redirect, so the secret is in no URL, no session and no stored row.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretAnswer {
    pub next: String,
    pub secret: Option<String>,
}

impl std::fmt::Debug for SecretAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretAnswer")
            .field("next", &self.next)
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The secret a plain post's answer page shows once (see [`SecretAnswer`]).
#[derive(Clone, PartialEq, Eq)]
pub struct ShownSecret(pub String);

impl std::fmt::Debug for ShownSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShownSecret(***)")
    }
}
