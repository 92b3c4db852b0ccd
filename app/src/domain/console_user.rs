//! The forms of the console's user pages (CON-3): disable, enable, delete, reset password,
//! grant and remove a role, create a bare user. One `validate()` each, shared by the browser's
//! pre-check, the server function and the plain post (STYLE.md "One form, three doors").

use std::fmt;

use super::admin_contact::{Day, END_BEFORE_START};
use super::field::FieldError;
use super::registration::check;
use super::{CommonPasswords, Email, Password, PasswordContext, PasswordPolicy, PersonName, Username};

pub const ENTER_A_JUSTIFICATION: &str = "Enter a justification";
pub const JUSTIFICATION_TOO_LONG: &str = "Use at most 1000 characters";
pub const CHOOSE_A_METHOD: &str = "Choose Type a password or Generate a password";
pub const ENTER_A_PASSWORD: &str = "Enter a password";
pub const CHOOSE_A_ROLE: &str = "Choose a role";

/// Why an operator changed a user (CON-3, CON-5): kept with the change and in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Justification(String);

impl Justification {
    pub const MAX_LENGTH: usize = 1000;

    /// Trimmed; blank is `Ok(None)`, too long an error.
    pub fn parse_optional(raw: &str) -> Result<Option<Justification>, &'static str> {
        match raw.trim() {
            "" => Ok(None),
            text if text.chars().count() > Self::MAX_LENGTH => Err(JUSTIFICATION_TOO_LONG),
            text => Ok(Some(Justification(text.to_owned()))),
        }
    }

    pub fn parse(raw: &str) -> Result<Justification, &'static str> {
        Self::parse_optional(raw)?.ok_or(ENTER_A_JUSTIFICATION)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `/console/users/{id}/disable` as posted: Effective date (blank: today) and Justification.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DisableForm {
    pub effective_date: String,
    pub justification: String,
}

/// A validated Disable: from `effective` (`None`: at once), for `justification`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disable {
    pub effective: Option<Day>,
    pub justification: Justification,
}

impl DisableForm {
    pub fn validate(&self) -> Result<Disable, Vec<FieldError>> {
        let mut errors = Vec::new();
        let effective = match self.effective_date.trim() {
            "" => Some(None),
            raw => check(&mut errors, "effective_date", Day::parse(raw)).map(Some),
        };
        let justification = check(&mut errors, "justification", Justification::parse(&self.justification));
        match (effective, justification) {
            (Some(effective), Some(justification)) => Ok(Disable { effective, justification }),
            _ => Err(errors),
        }
    }
}

/// Enable and Remove role (optional justification), Delete (required).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct JustificationForm {
    pub justification: String,
}

impl JustificationForm {
    pub fn optional(&self) -> Result<Option<Justification>, Vec<FieldError>> {
        Justification::parse_optional(&self.justification).map_err(|m| vec![FieldError::new("justification", m)])
    }

    pub fn required(&self) -> Result<Justification, Vec<FieldError>> {
        Justification::parse(&self.justification).map_err(|m| vec![FieldError::new("justification", m)])
    }
}

/// How a reset password is chosen (CON-3).
#[derive(Debug)]
pub enum NewPassword {
    /// "Type a password": the operator's, checked by the REG-9 policy.
    Typed(Password),
    /// "Generate a password": a strong random one, shown once to the operator.
    Generated,
}

/// `/console/users/{id}/password` as posted.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ResetPasswordForm {
    /// `typed` or `generated`.
    pub password_method: String,
    pub password: String,
    pub password_confirm: String,
}

impl ResetPasswordForm {
    /// `ctx` is the user's username and name (REG-9: a password must not contain them).
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        ctx: &PasswordContext<'_>,
        common: &dyn CommonPasswords,
    ) -> Result<NewPassword, Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.password_method.as_str() {
            "generated" => return Ok(NewPassword::Generated),
            "typed" => {}
            _ => {
                errors.push(FieldError::new("password_method", CHOOSE_A_METHOD));
                return Err(errors);
            }
        }
        if self.password.is_empty() {
            errors.push(FieldError::new("password", ENTER_A_PASSWORD));
            return Err(errors);
        }
        let password = check(&mut errors, "password", Password::parse(self.password.clone(), policy, ctx, common));
        if let Err(message) = super::confirm_matches(&self.password, &self.password_confirm) {
            errors.push(FieldError::new("password_confirm", message));
        }
        match password {
            Some(password) if errors.is_empty() => Ok(NewPassword::Typed(password)),
            _ => Err(errors),
        }
    }
}

/// `/console/users/{id}/roles/grant` as posted: one role, optional dates, a justification.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RoleGrantForm {
    pub role_id: String,
    pub start_date: String,
    pub end_date: String,
    pub justification: String,
}

/// A validated grant: in force from the start of `start` to the end of `end` (either open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub role_id: String,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub justification: Justification,
}

impl RoleGrantForm {
    pub fn validate(&self) -> Result<RoleGrant, Vec<FieldError>> {
        let mut errors = Vec::new();
        let role_id = self.role_id.trim();
        if role_id.is_empty() {
            errors.push(FieldError::new("role_id", CHOOSE_A_ROLE));
        }
        let day = |errors: &mut Vec<FieldError>, field: &str, raw: &str| match raw.trim() {
            "" => Some(None),
            raw => check(errors, field, Day::parse(raw)).map(Some),
        };
        let start = day(&mut errors, "start_date", &self.start_date);
        let end = day(&mut errors, "end_date", &self.end_date);
        if let (Some(Some(start)), Some(Some(end))) = (start, end) {
            if end < start {
                errors.push(FieldError::new("end_date", END_BEFORE_START));
            }
        }
        let justification = check(&mut errors, "justification", Justification::parse(&self.justification));
        match (start, end, justification) {
            (Some(start), Some(end), Some(justification)) if errors.is_empty() => {
                Ok(RoleGrant { role_id: role_id.to_owned(), start, end, justification })
            }
            _ => Err(errors),
        }
    }
}

/// `/console/users/new` as posted: a bare user (CON-3).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BareUserForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub username: String,
}

/// A person, their e-mail address and a login without a password, type or organization: they
/// complete their registration later (PAR-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareUser {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub username: Username,
}

impl BareUserForm {
    pub fn validate(&self) -> Result<BareUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let first_name = check(&mut errors, "first_name", PersonName::parse(&self.first_name));
        let last_name = check(&mut errors, "last_name", PersonName::parse(&self.last_name));
        let email = check(&mut errors, "email", Email::parse(&self.email));
        let username = check(&mut errors, "username", Username::parse(&self.username));
        match (first_name, last_name, email, username) {
            (Some(first_name), Some(last_name), Some(email), Some(username)) => {
                Ok(BareUser { first_name, last_name, email, username })
            }
            _ => Err(errors),
        }
    }
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for ResetPasswordForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetPasswordForm")
            .field("password_method", &self.password_method)
            .field("password", &"***")
            .field("password_confirm", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NoCommonList;

    fn policy() -> PasswordPolicy {
        PasswordPolicy { min_length: 12, hard_to_guess: true }
    }

    fn ctx() -> PasswordContext<'static> {
        PasswordContext { username: "rita.m", first_name: "Rita", last_name: "Moreno" }
    }

    // covers: CON-3
    #[test]
    fn a_disable_needs_a_justification_and_a_blank_date_means_now() {
        let now = DisableForm { effective_date: " ".into(), justification: " Left the company ".into() };
        let disable = now.validate().unwrap();
        assert_eq!(disable.effective, None);
        assert_eq!(disable.justification.as_str(), "Left the company");
        let errors =
            DisableForm { effective_date: "31/01/2027".into(), justification: "  ".into() }.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["effective_date", "justification"]);
        let later = DisableForm { effective_date: "2027-02-01".into(), justification: "Contract ends".into() };
        assert_eq!(later.validate().unwrap().effective.map(Day::iso).as_deref(), Some("2027-02-01"));
        let long = "x".repeat(Justification::MAX_LENGTH + 1);
        assert_eq!(Justification::parse(&long), Err(JUSTIFICATION_TOO_LONG));
    }

    // covers: CON-3, REG-9, LOG-3
    #[test]
    fn a_typed_password_follows_the_policy_and_a_generated_one_needs_nothing() {
        let typed = |password: &str, confirm: &str| ResetPasswordForm {
            password_method: "typed".into(),
            password: password.into(),
            password_confirm: confirm.into(),
        };
        let ok = typed("quiet orchard lantern 42", "quiet orchard lantern 42");
        assert!(matches!(ok.validate(&policy(), &ctx(), &NoCommonList), Ok(NewPassword::Typed(_))));
        let short = typed("short", "short").validate(&policy(), &ctx(), &NoCommonList).unwrap_err();
        assert_eq!(short[0].message, "Password must be at least 12 characters");
        let named = typed("rita.m is my name ok", "rita.m is my name ok");
        let errors = named.validate(&policy(), &ctx(), &NoCommonList).unwrap_err();
        assert_eq!(errors[0].message, "Password must not contain your username or name");
        let mismatch = typed("quiet orchard lantern 42", "quiet orchard lantern 43");
        assert_eq!(mismatch.validate(&policy(), &ctx(), &NoCommonList).unwrap_err()[0].field, "password_confirm");
        let generated = ResetPasswordForm { password_method: "generated".into(), ..ResetPasswordForm::default() };
        assert!(matches!(generated.validate(&policy(), &ctx(), &NoCommonList), Ok(NewPassword::Generated)));
        let neither = ResetPasswordForm::default().validate(&policy(), &ctx(), &NoCommonList).unwrap_err();
        assert_eq!(neither[0].field, "password_method");
        assert!(!format!("{ok:?}").contains("orchard"), "a form's Debug never shows a password");
    }

    // covers: CON-3
    #[test]
    fn a_role_grant_has_a_role_ordered_dates_and_a_justification() {
        let errors = RoleGrantForm {
            role_id: "".into(),
            start_date: "2027-03-01".into(),
            end_date: "2027-02-01".into(),
            justification: "".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["role_id", "end_date", "justification"]);
        let grant = RoleGrantForm { role_id: "r1".into(), justification: "Project".into(), ..RoleGrantForm::default() }
            .validate()
            .unwrap();
        assert_eq!((grant.start, grant.end), (None, None));
    }

    // covers: CON-3, REG-8
    #[test]
    fn a_bare_user_needs_a_name_an_email_and_a_valid_username() {
        let form = BareUserForm {
            first_name: "Rita".into(),
            last_name: "Moreno".into(),
            email: "rita@example.com".into(),
            username: "Rita.M".into(),
        };
        assert_eq!(form.validate().unwrap().username.lower(), "rita.m");
        let errors = BareUserForm { email: "nope".into(), username: "r!".into(), ..form }.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "username"]);
    }
}
