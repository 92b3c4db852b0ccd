//! Login help (LOG-4, LOG-6): the forgot-login form and the set-password form of an e-mailed
//! link, each with the one `validate()` the browser, the server function and the plain post call.

use std::fmt;

use super::credentials::new_password;
use super::credentials::MAX_USERNAME;
use super::field::FieldError;
use super::{CommonPasswords, Email, Password, PasswordContext, PasswordPolicy};

pub const ENTER_USERNAME_OR_EMAIL: &str = "Enter your username or your e-mail address";

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ForgotLoginForm {
    pub username: String,
    pub email: String,
}

/// What a forgot-login request looks for: a username, an address, or the one login matching
/// both. At least one is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHelpRequest {
    pub username: Option<String>,
    pub email: Option<Email>,
}

impl ForgotLoginForm {
    /// Either field or both. A username longer than any can be is not refused here: the
    /// request is answered like any other and simply matches nothing (LOG-4 reveals nothing).
    pub fn validate(&self) -> Result<LoginHelpRequest, Vec<FieldError>> {
        let username = self.username.trim();
        let email = self.email.trim();
        if username.is_empty() && email.is_empty() {
            return Err(vec![FieldError::new("username", ENTER_USERNAME_OR_EMAIL)]);
        }
        let email = match email {
            "" => None,
            typed => Some(Email::parse(typed).map_err(|e| vec![FieldError::new("email", e.to_string())])?),
        };
        // One character past the longest username still matches nothing, and keeps the queue small.
        let username = Some(username).filter(|u| !u.is_empty()).map(|u| u.chars().take(MAX_USERNAME + 1).collect());
        Ok(LoginHelpRequest { username, email })
    }
}

#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PasswordResetForm {
    pub new_password: String,
    pub new_password_confirm: String,
}

impl PasswordResetForm {
    /// Both fields at once (REG-14), the new password by the REG-9 policy.
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        who: &PasswordContext<'_>,
        common: &dyn CommonPasswords,
    ) -> Result<Password, Vec<FieldError>> {
        let mut errors = Vec::new();
        let new = new_password(&self.new_password, &self.new_password_confirm, policy, who, common, &mut errors);
        match new {
            Some(new) if errors.is_empty() => Ok(new),
            _ => Err(errors),
        }
    }
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for PasswordResetForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordResetForm { *** }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{message_for, NoCommonList};

    // covers: LOG-4
    #[test]
    fn forgot_login_needs_a_username_or_an_address() {
        let errors = ForgotLoginForm { username: "  ".into(), email: "".into() }.validate().err().unwrap();
        assert_eq!(message_for(&errors, "username"), Some(ENTER_USERNAME_OR_EMAIL));
        let errors = ForgotLoginForm { username: "".into(), email: "not-an-address".into() }.validate().err().unwrap();
        assert!(message_for(&errors, "email").is_some());
        let both =
            ForgotLoginForm { username: " Ann.Lee ".into(), email: "ann@example.com".into() }.validate().unwrap();
        assert_eq!(both.username.as_deref(), Some("Ann.Lee"));
        assert_eq!(both.email.map(|e| e.as_str().to_owned()).as_deref(), Some("ann@example.com"));
        let long = ForgotLoginForm { username: "x".repeat(500), email: "".into() }.validate().unwrap();
        assert_eq!(long.username.map(|u| u.len()), Some(MAX_USERNAME + 1), "answered like any, matches nothing");
    }

    // covers: LOG-6, REG-9
    #[test]
    fn a_reset_password_follows_the_policy_and_must_be_confirmed() {
        let who = PasswordContext { username: "ann.lee", first_name: "Ann", last_name: "Lee" };
        let check = |new: &str, confirm: &str| {
            PasswordResetForm { new_password: new.into(), new_password_confirm: confirm.into() }.validate(
                &PasswordPolicy::default(),
                &who,
                &NoCommonList,
            )
        };
        let errors = check("", "").err().unwrap();
        assert_eq!(message_for(&errors, "new_password"), Some("Enter a new password"));
        let errors = check("short", "other").err().unwrap();
        assert_eq!(message_for(&errors, "new_password"), Some("Password must be at least 12 characters"));
        assert_eq!(message_for(&errors, "new_password_confirm"), Some("Passwords do not match"));
        assert_eq!(
            check("violet anchor trumpet", "violet anchor trumpet").unwrap().expose_secret(),
            "violet anchor trumpet"
        );
        let form = PasswordResetForm { new_password: "hunter2".into(), new_password_confirm: "hunter2".into() };
        assert!(!format!("{form:?}").contains("hunter2"));
    }
}
