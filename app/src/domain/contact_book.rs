//! The phone book of a person's profile (PRO-2): the add/edit form and the kinds of number.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use super::field::FieldError;
use super::Phone;

/// Whether a number is the person's own or their business line (REG-10 concerns the latter).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Personal,
    Business,
}

impl PhoneKind {
    pub const ALL: [PhoneKind; 2] = [PhoneKind::Personal, PhoneKind::Business];

    pub fn label(self) -> &'static str {
        match self {
            PhoneKind::Personal => "Personal",
            PhoneKind::Business => "Business",
        }
    }
}

/// The phone form as posted: Phone number `number`*, Kind `kind`* (a select).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    pub number: String,
    pub kind: String,
}

/// A validated phone book entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneEntry {
    pub phone: Phone,
    pub kind: PhoneKind,
}

impl PhoneForm {
    pub fn validate(&self) -> Result<PhoneEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let phone = Phone::parse(&self.number).map_err(|e| errors.push(FieldError::new("number", e.to_string()))).ok();
        let kind = self
            .kind
            .parse::<PhoneKind>()
            .map_err(|_| errors.push(FieldError::new("kind", "Choose personal or business")))
            .ok();
        match (phone, kind) {
            (Some(phone), Some(kind)) if errors.is_empty() => Ok(PhoneEntry { phone, kind }),
            _ => Err(errors),
        }
    }

    pub fn of(phone: &str, kind: PhoneKind) -> PhoneForm {
        PhoneForm { number: phone.to_owned(), kind: kind.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    // covers: PRO-2
    #[test]
    fn a_phone_needs_a_plausible_number_and_a_kind() {
        let entry = PhoneForm { number: " +1 415 555 0100 ".into(), kind: "business".into() }.validate().unwrap();
        assert_eq!(entry.phone.as_str(), "+1 415 555 0100");
        assert_eq!(entry.kind, PhoneKind::Business);
        let errors = PhoneForm { number: "call me".into(), kind: "fax".into() }.validate().unwrap_err();
        assert_eq!(message_for(&errors, "number"), Some("Enter a phone number, like +1 415 555 0100"));
        assert_eq!(message_for(&errors, "kind"), Some("Choose personal or business"));
        assert_eq!(PhoneForm::of("555 0100", PhoneKind::Personal).validate().unwrap().kind, PhoneKind::Personal);
    }
}
