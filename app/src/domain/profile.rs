//! The signed-in user's own profile (PRO-1, PRO-2, PRO-4): one form per action, each with the
//! one `validate()` the browser's pre-check, the server function and the plain post call.

use super::field::FieldError;
use super::registration::check;
use super::{Email, Language, PersonName, Phone};

pub const CHOOSE_A_LANGUAGE: &str = "Choose a language from the list";

/// `/profile` (PRO-1): Personal information. Missing fields read as empty, so they are
/// reported next to their fields rather than as a malformed request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

/// A validated Personal information form, ready for the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    pub first_name: PersonName,
    pub last_name: PersonName,
    /// The primary address wanted; a different one takes effect only once confirmed (PRO-1).
    pub email: Email,
    pub phone: Option<Phone>,
    pub language: Language,
}

impl ProfileForm {
    /// Every field at once, in form order (REG-14).
    pub fn validate(&self) -> Result<ProfileChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let first_name = check(&mut errors, "first_name", PersonName::parse(&self.first_name));
        let last_name = check(&mut errors, "last_name", PersonName::parse(&self.last_name));
        let email = check(&mut errors, "email", Email::parse(&self.email));
        // Optional as at registration (REG-5): blank means none.
        let phone = match self.phone.trim() {
            "" => Some(None),
            raw => check(&mut errors, "phone", Phone::parse(raw).map(Some)),
        };
        let language = language(&mut errors, &self.language);
        match (first_name, last_name, email, phone, language) {
            (Some(first_name), Some(last_name), Some(email), Some(phone), Some(language)) if errors.is_empty() => {
                Ok(ProfileChange { first_name, last_name, email, phone, language })
            }
            _ => Err(errors),
        }
    }
}

/// A language offered by the select. Unlike `Language::from_code` (which falls back for stale
/// cookies), a posted value that is not on the list is refused: the user chose something.
fn language(errors: &mut Vec<FieldError>, code: &str) -> Option<Language> {
    let found = Language::ALL.iter().copied().find(|l| l.code() == code.trim());
    if found.is_none() {
        errors.push(FieldError::new("language", CHOOSE_A_LANGUAGE));
    }
    found
}

/// `/profile/emails` (PRO-2): one more address, stored once its confirmation link is followed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EmailAddForm {
    pub email: String,
}

impl EmailAddForm {
    pub fn validate(&self) -> Result<Email, Vec<FieldError>> {
        Email::parse(&self.email).map_err(|e| vec![FieldError::new("email", e.to_string())])
    }
}

/// `/profile/preferences` (PRO-4): marketing opt-in (REG-11) and notification language (NOT-4).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PreferencesForm {
    /// Unchecked posts nothing and means opted out (REG-11).
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub marketing_opt_in: bool,
    pub language: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreferencesChange {
    pub marketing_opt_in: bool,
    pub language: Language,
}

impl PreferencesForm {
    pub fn validate(&self) -> Result<PreferencesChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        match language(&mut errors, &self.language) {
            Some(language) => Ok(PreferencesChange { marketing_opt_in: self.marketing_opt_in, language }),
            None => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn form(first: &str, last: &str, email: &str, phone: &str, language: &str) -> ProfileForm {
        ProfileForm {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            phone: phone.into(),
            language: language.into(),
        }
    }

    // covers: PRO-1, REG-14
    #[test]
    fn personal_information_reports_every_field_at_once() {
        let errors = form(" ", "", "not-an-address", "call me", "xx").validate().err().unwrap();
        for field in ["first_name", "last_name", "email", "phone", "language"] {
            assert!(message_for(&errors, field).is_some(), "{field}: {errors:?}");
        }
        assert_eq!(message_for(&errors, "language"), Some(CHOOSE_A_LANGUAGE));
        let ok = form(" Ann ", "Lee", "ann@example.com", "", "en").validate().unwrap();
        assert_eq!((ok.first_name.as_str(), ok.phone, ok.language), ("Ann", None, Language::English));
    }

    // covers: PRO-2, PRO-4, REG-11, NOT-4
    #[test]
    fn an_added_address_must_be_valid_and_preferences_need_a_listed_language() {
        assert!(EmailAddForm { email: "nope".into() }.validate().is_err());
        assert_eq!(EmailAddForm { email: "a@example.com".into() }.validate().unwrap().as_str(), "a@example.com");
        let prefs: PreferencesForm = serde_html_form::from_str("language=en").unwrap();
        assert_eq!(
            prefs.validate().unwrap(),
            PreferencesChange { marketing_opt_in: false, language: Language::English }
        );
        let prefs: PreferencesForm = serde_html_form::from_str("marketing_opt_in=on&language=en").unwrap();
        assert!(prefs.validate().unwrap().marketing_opt_in);
        let errors = PreferencesForm { marketing_opt_in: true, language: "fr".into() }.validate().err().unwrap();
        assert_eq!(message_for(&errors, "language"), Some(CHOOSE_A_LANGUAGE));
    }
}
