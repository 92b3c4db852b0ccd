//! The person part of every registration form (REG-5) and its all-at-once validation (REG-14).

use super::field::FieldError;
use super::{
    confirm_matches, CommonPasswords, Email, Password, PasswordContext, PasswordPolicy, PersonName, Phone, Username,
};
use std::fmt;

/// A validated individual registration, ready for the use case.
#[derive(Debug)]
pub struct IndividualRegistration {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<Phone>,
    pub username: Username,
    pub password: Password,
    pub marketing_opt_in: bool,
}

/// Who a person is, as a form states it (REG-5).
#[derive(Debug, Clone)]
pub struct PersonDetails {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<Phone>,
}

/// A new login's username and password.
#[derive(Debug)]
pub struct NewCredentials {
    pub username: Username,
    pub password: Password,
}

/// Whether a form has a "Confirm password" field (OAA-2's has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Required,
    Absent,
}

/// The form as posted; field names are the HTML `name` attributes of REG-5. Missing fields
/// read as empty, so they are reported as field errors rather than as a malformed request.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct IndividualForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub username: String,
    pub password: String,
    pub password_confirm: String,
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub marketing_opt_in: bool,
}

impl IndividualForm {
    /// Checks every field and reports every problem at once, in form order.
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
    ) -> Result<IndividualRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let details = self.validate_details(&mut errors);
        let credentials = self.validate_credentials(&mut errors, policy, common, Confirm::Required);
        match (details, credentials) {
            (Some(details), Some(NewCredentials { username, password })) if errors.is_empty() => {
                let PersonDetails { first_name, last_name, email, phone } = details;
                Ok(IndividualRegistration {
                    first_name,
                    last_name,
                    email,
                    phone,
                    username,
                    password,
                    marketing_opt_in: self.marketing_opt_in,
                })
            }
            _ => Err(errors),
        }
    }

    /// The person's names, e-mail and optional phone (REG-5; PAR-2's confirmation asks only these).
    pub fn validate_details(&self, errors: &mut Vec<FieldError>) -> Option<PersonDetails> {
        let first_name = check(errors, "first_name", PersonName::parse(&self.first_name));
        let last_name = check(errors, "last_name", PersonName::parse(&self.last_name));
        let email = check(errors, "email", Email::parse(&self.email));
        // The phone is optional (REG-5): blank means none, anything else must be valid.
        let phone = match self.phone.trim() {
            "" => Some(None),
            raw => check(errors, "phone", Phone::parse(raw).map(Some)),
        };
        Some(PersonDetails { first_name: first_name?, last_name: last_name?, email: email?, phone: phone? })
    }

    /// The new username and password (REG-8, REG-9), and the confirmation where the form asks
    /// for one.
    pub fn validate_credentials(
        &self,
        errors: &mut Vec<FieldError>,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
        confirm: Confirm,
    ) -> Option<NewCredentials> {
        let username = check(errors, "username", Username::parse(&self.username));
        let password = self.check_password(errors, policy, common);
        if confirm == Confirm::Required && !self.password.is_empty() {
            if self.password_confirm.is_empty() {
                errors.push(FieldError::new("password_confirm", "Confirm your password"));
            } else if let Err(message) = confirm_matches(&self.password, &self.password_confirm) {
                errors.push(FieldError::new("password_confirm", message));
            }
        }
        Some(NewCredentials { username: username?, password: password? })
    }

    fn check_password(
        &self,
        errors: &mut Vec<FieldError>,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
    ) -> Option<Password> {
        // A blank password deserves "enter one", not "must be at least 12 characters".
        if self.password.is_empty() {
            errors.push(FieldError::new("password", "Enter a password"));
            return None;
        }
        let ctx =
            PasswordContext { username: &self.username, first_name: &self.first_name, last_name: &self.last_name };
        let parsed = Password::parse(self.password.clone(), policy, &ctx, common);
        check(errors, "password", parsed)
    }

    /// The form to render again after a failed submit: entered values kept, passwords never
    /// (REG-14).
    pub fn without_secrets(&self) -> IndividualForm {
        IndividualForm { password: String::new(), password_confirm: String::new(), ..self.clone() }
    }
}

pub(super) fn check<T, E: fmt::Display>(errors: &mut Vec<FieldError>, field: &str, result: Result<T, E>) -> Option<T> {
    result.map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok()
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for IndividualForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndividualForm")
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("username", &self.username)
            .field("password", &"***")
            .field("password_confirm", &"***")
            .field("marketing_opt_in", &self.marketing_opt_in)
            .finish()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    // covers: REG-5, REG-9, REG-11, REG-14, SEC-7
    use super::*;
    use crate::domain::{message_for, NoCommonList};
    use serde::de::value::{Error as ValueError, MapDeserializer};
    use serde::Deserialize;

    pub(crate) fn filled() -> IndividualForm {
        IndividualForm {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: "jane@example.com".into(),
            phone: String::new(),
            username: "jane.d".into(),
            password: "blue canoe at dawn".into(),
            password_confirm: "blue canoe at dawn".into(),
            marketing_opt_in: false,
        }
    }

    fn validate(form: &IndividualForm) -> Result<IndividualRegistration, Vec<FieldError>> {
        form.validate(&PasswordPolicy::default(), &NoCommonList)
    }

    /// Deserialises like an HTML form post: every value arrives as a string.
    fn from_post(pairs: &[(&'static str, &'static str)]) -> IndividualForm {
        let map = MapDeserializer::<_, ValueError>::new(pairs.iter().copied());
        IndividualForm::deserialize(map).unwrap()
    }

    #[test]
    fn a_complete_form_becomes_a_registration() {
        let mut form = filled();
        form.phone = " +1 415 555 0100 ".into();
        form.marketing_opt_in = true;
        let reg = validate(&form).unwrap();
        assert_eq!(reg.first_name.as_str(), "Jane");
        assert_eq!(reg.username.as_str(), "jane.d");
        assert_eq!(reg.phone.unwrap().as_str(), "+1 415 555 0100");
        assert_eq!(reg.password.expose_secret(), "blue canoe at dawn");
        assert!(reg.marketing_opt_in);
    }

    #[test]
    fn a_blank_phone_is_none() {
        let mut form = filled();
        form.phone = "   ".into();
        assert!(validate(&form).unwrap().phone.is_none());
    }

    #[test]
    fn an_empty_form_reports_every_mandatory_field_at_once() {
        let errors = validate(&IndividualForm::default()).unwrap_err();
        let expected = [
            ("first_name", "Enter a name"),
            ("last_name", "Enter a name"),
            ("email", "Enter an e-mail address"),
            ("username", "Enter a username"),
            ("password", "Enter a password"),
        ];
        let actual: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn invalid_fields_are_reported_under_their_form_names() {
        let form = IndividualForm {
            email: "jane@".into(),
            phone: "call me".into(),
            username: "jd".into(),
            password: "jane.d rocks!".into(),
            password_confirm: "jane.d rocks".into(),
            ..filled()
        };
        let errors = validate(&form).unwrap_err();
        assert_eq!(errors.len(), 5);
        let msg = |field| message_for(&errors, field);
        assert_eq!(msg("email"), Some("Enter a valid e-mail address, like name@example.com"));
        assert_eq!(msg("phone"), Some("Enter a phone number, like +1 415 555 0100"));
        assert_eq!(msg("username"), Some("Username must be at least 3 characters"));
        assert_eq!(msg("password"), Some("Password must not contain your username or name"));
        assert_eq!(msg("password_confirm"), Some("Passwords do not match"));
    }

    #[test]
    fn password_rules_come_from_the_policy_and_the_common_list() {
        struct Everything;
        impl CommonPasswords for Everything {
            fn contains(&self, _: &str) -> bool {
                true
            }
        }
        let errors = filled().validate(&PasswordPolicy::default(), &Everything).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("password", "This password is too common")]);
        let short = IndividualForm { password: "short".into(), password_confirm: "short".into(), ..filled() };
        assert_eq!(
            message_for(&validate(&short).unwrap_err(), "password"),
            Some("Password must be at least 12 characters")
        );
    }

    #[test]
    fn a_missing_confirmation_asks_for_it() {
        let form = IndividualForm { password_confirm: String::new(), ..filled() };
        assert_eq!(validate(&form).unwrap_err(), vec![FieldError::new("password_confirm", "Confirm your password")]);
    }

    #[test]
    fn without_secrets_keeps_values_but_never_passwords() {
        let form = IndividualForm { marketing_opt_in: true, ..filled() };
        let kept = form.without_secrets();
        assert_eq!(kept.password, "");
        assert_eq!(kept.password_confirm, "");
        assert_eq!(kept.email, form.email);
        assert!(kept.marketing_opt_in);
    }

    #[test]
    fn debug_redacts_passwords() {
        let printed = format!("{:?}", filled());
        assert!(printed.contains("jane@example.com"));
        assert!(!printed.contains("canoe"));
    }

    #[test]
    fn an_unchecked_checkbox_is_absent_and_means_no() {
        let form = from_post(&[("first_name", "Jane"), ("email", "jane@example.com")]);
        assert_eq!(form.first_name, "Jane");
        assert_eq!(form.password, "");
        assert!(!form.marketing_opt_in);
        assert!(from_post(&[("marketing_opt_in", "on")]).marketing_opt_in);
    }

    #[test]
    fn json_booleans_round_trip() {
        let form = IndividualForm { marketing_opt_in: true, ..filled() };
        let json = serde_json::to_string(&form).unwrap();
        assert!(json.contains(r#""marketing_opt_in":true"#));
        assert_eq!(serde_json::from_str::<IndividualForm>(&json).unwrap(), form);
    }
}
