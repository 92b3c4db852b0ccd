//! The sign-in form (LOG-1) and the password change form (LOG-3, LOG-6, PRO-1), each with the
//! one `validate()` the browser, the server function and the plain form post all call.

use std::fmt;

use super::field::FieldError;
use super::{confirm_matches, CommonPasswords, Password, PasswordContext, PasswordPolicy};

/// No username is longer (REG-8), and no password may be (REG-9): longer input is refused before
/// any lookup or hash, so nobody can make the server hash megabytes.
pub const MAX_USERNAME: usize = 100;
pub const MAX_PASSWORD: usize = 128;

#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub username: String,
    pub password: String,
}

/// What the sign-in use case checks: a username as typed (trimmed) and a password.
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl SignInForm {
    /// Both fields present and of a length a real account can have. Over-long input reads as
    /// "incorrect" (LOG-1), so the answer never says more than a wrong password would.
    pub fn validate(&self) -> Result<Credentials, SignInRefusal> {
        let username = self.username.trim();
        let mut missing = Vec::new();
        if username.is_empty() {
            missing.push(FieldError::new("username", "Enter your username"));
        }
        if self.password.is_empty() {
            missing.push(FieldError::new("password", "Enter your password"));
        }
        if !missing.is_empty() {
            return Err(SignInRefusal::Missing(missing));
        }
        if username.chars().count() > MAX_USERNAME || self.password.chars().count() > MAX_PASSWORD {
            return Err(SignInRefusal::Incorrect);
        }
        Ok(Credentials { username: username.to_owned(), password: self.password.clone() })
    }
}

/// Why a sign-in form is refused before anything is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefusal {
    Missing(Vec<FieldError>),
    /// Cannot match any account; answered exactly like a wrong password.
    Incorrect,
}

#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirm: String,
}

/// A validated password change: the current password to verify and the new one (REG-9).
pub struct PasswordChange {
    pub current: String,
    pub new: Password,
}

impl PasswordChangeForm {
    /// Every field at once (REG-14). The current password is only capped and required here;
    /// whether it is right is for the use case to check (after counting the attempt, SEC-4).
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        who: &PasswordContext<'_>,
        common: &dyn CommonPasswords,
    ) -> Result<PasswordChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.current_password.is_empty() {
            errors.push(FieldError::new("current_password", "Enter your current password"));
        } else if self.current_password.chars().count() > MAX_PASSWORD {
            errors.push(FieldError::new("current_password", too_long()));
        }
        let new = new_password(&self.new_password, &self.new_password_confirm, policy, who, common, &mut errors);
        if errors.is_empty() && self.current_password == self.new_password {
            errors.push(FieldError::new("new_password", "Choose a password different from the current one"));
        }
        match new {
            Some(new) if errors.is_empty() => Ok(PasswordChange { current: self.current_password.clone(), new }),
            _ => Err(errors),
        }
    }
}

/// The `new_password` and `new_password_confirm` fields every set-password form has (LOG-6):
/// present, by the REG-9 policy, confirmed, the confirmation capped like any password. Errors
/// go to `errors` under those field names.
pub(super) fn new_password(
    new: &str,
    confirm: &str,
    policy: &PasswordPolicy,
    who: &PasswordContext<'_>,
    common: &dyn CommonPasswords,
    errors: &mut Vec<FieldError>,
) -> Option<Password> {
    let parsed = if new.is_empty() {
        errors.push(FieldError::new("new_password", "Enter a new password"));
        None
    } else {
        Password::parse(new.to_owned(), policy, who, common)
            .map_err(|e| errors.push(FieldError::new("new_password", e.to_string())))
            .ok()
    };
    if confirm.chars().count() > MAX_PASSWORD {
        errors.push(FieldError::new("new_password_confirm", too_long()));
    } else if !new.is_empty() {
        if let Err(message) = confirm_matches(new, confirm) {
            errors.push(FieldError::new("new_password_confirm", message));
        }
    }
    parsed
}

fn too_long() -> String {
    format!("Password must be at most {MAX_PASSWORD} characters")
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for SignInForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInForm").field("username", &self.username).field("password", &"***").finish()
    }
}

impl fmt::Debug for PasswordChangeForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordChangeForm { *** }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{message_for, NoCommonList};

    // covers: LOG-1, SEC-4
    #[test]
    fn sign_in_needs_both_fields_and_refuses_impossible_lengths_like_a_wrong_password() {
        let form = SignInForm::default();
        let Err(SignInRefusal::Missing(errors)) = form.validate() else { panic!("missing fields") };
        assert_eq!(errors.len(), 2);
        let long = SignInForm { username: "ann".into(), password: "x".repeat(129) };
        assert_eq!(long.validate().err(), Some(SignInRefusal::Incorrect));
        let ok = SignInForm { username: "  Ann.Lee ".into(), password: "secret".into() }.validate().ok().unwrap();
        assert_eq!(ok.username, "Ann.Lee");
        assert!(!format!("{:?}", SignInForm { username: "a".into(), password: "hunter2".into() }).contains("hunter2"));
    }

    // covers: LOG-6, REG-9, SEC-4
    #[test]
    fn a_password_change_checks_every_field_and_caps_the_current_password() {
        let who = PasswordContext { username: "ann.lee", first_name: "Ann", last_name: "Lee" };
        let check = |current: &str, new: &str, confirm: &str| {
            PasswordChangeForm {
                current_password: current.into(),
                new_password: new.into(),
                new_password_confirm: confirm.into(),
            }
            .validate(&PasswordPolicy::default(), &who, &NoCommonList)
        };
        let errors = check("", "", "").err().unwrap();
        assert_eq!(message_for(&errors, "current_password"), Some("Enter your current password"));
        assert_eq!(message_for(&errors, "new_password"), Some("Enter a new password"));
        let errors = check(&"x".repeat(129), "violet anchor trumpet", "violet anchor trumpet").err().unwrap();
        assert_eq!(message_for(&errors, "current_password"), Some("Password must be at most 128 characters"));
        let errors = check("old password here", "short", "shorter").err().unwrap();
        assert_eq!(message_for(&errors, "new_password"), Some("Password must be at least 12 characters"));
        assert_eq!(message_for(&errors, "new_password_confirm"), Some("Passwords do not match"));
        let same = check("violet anchor trumpet", "violet anchor trumpet", "violet anchor trumpet").err().unwrap();
        assert_eq!(message_for(&same, "new_password"), Some("Choose a password different from the current one"));
        let change = check("old password here", "violet anchor trumpet", "violet anchor trumpet").ok().unwrap();
        assert_eq!(change.new.expose_secret(), "violet anchor trumpet");
    }
}
