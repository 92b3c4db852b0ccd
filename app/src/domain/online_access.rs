//! Online access to an existing account (OAA-1, OAA-2): what the customer proves, and the
//! answers they may get. The proof itself is checked against the database by the use case;
//! this module only parses what was typed.

use std::fmt;

use super::admin_contact::Day;
use super::field::FieldError;
use super::registration::check;
use super::{Email, Phone, PostalCode};

/// The proof fields of both online-access forms, as posted (the rest of the form is the
/// person part: `email`, `phone`, `username`, `password`, `password_confirm`, opt-in; the
/// billing postal code is posted as `postal_code`, the company form's field of that name).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OnlineAccessFields {
    pub account_number: String,
    pub order_number: String,
    pub order_date: String,
}

/// An account or order number as typed: trimmed, upper-cased, at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordNumber(String);

impl RecordNumber {
    pub const MAX_LENGTH: usize = 40;

    pub fn parse(raw: &str, what: &'static str) -> Result<RecordNumber, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(format!("Enter your {what}"));
        }
        if trimmed.chars().count() > Self::MAX_LENGTH || trimmed.chars().any(char::is_control) {
            return Err(format!("Enter a valid {what}"));
        }
        Ok(RecordNumber(trimmed.to_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the customer says they are, to be checked against the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// OAA-1: an individual's account, the billing postal code of an order on it, and a phone
    /// of the person.
    Individual { account_number: RecordNumber, postal_code: PostalCode, phone: Phone },
    /// OAA-2: a company's account, an order placed on it, and roughly when.
    Business { account_number: RecordNumber, order_number: RecordNumber, order_date: Day },
}

impl Proof {
    /// The key of the SEC-4 failure counter: one per account number, whoever tries it.
    pub fn account_number(&self) -> &str {
        match self {
            Proof::Individual { account_number, .. } | Proof::Business { account_number, .. } => {
                account_number.as_str()
            }
        }
    }
}

/// OAA-2: the order's date, epoch milliseconds UTC, lies on the entered day or the day before
/// or after it.
pub fn order_date_window(entered: Day) -> (i64, i64) {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    (entered.start_ms() - DAY_MS, entered.end_ms() + DAY_MS)
}

/// A postal code compared as letters and digits only: `SW1A 1AA` is `sw1a1aa`.
pub fn postal_code_key(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// Phones compared by digits. A number typed without its country code matches a stored one
/// that ends with it, when at least ten digits are given (`415 555 0100` is `+1 415 555 0100`).
pub fn phones_match(typed: &str, stored: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (typed, stored) = (digits(typed), digits(stored));
    if typed.is_empty() || stored.is_empty() {
        return false;
    }
    typed == stored
        || (typed.len() >= 10 && stored.ends_with(&typed))
        || (stored.len() >= 10 && typed.ends_with(&stored))
}

/// Why an online-access request is refused, in the words of OAA-1 and OAA-3. Only
/// `NotVerified` is ever shown before the proof holds, whatever failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OnlineAccessRefusal {
    NotVerified,
    /// Too many failed proofs for this account number (SEC-4).
    TooManyAttempts,
    HasUsername,
    Inactivated,
    CompanyUserInactive,
}

impl OnlineAccessRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotVerified => "We could not verify your account details",
            Self::TooManyAttempts => "Too many attempts for this account. Please wait a while and try again.",
            Self::HasUsername => "The account information provided already has an online username. Please sign in.",
            Self::Inactivated => {
                "Your online account has been inactivated. Please contact the administrator to activate it."
            }
            Self::CompanyUserInactive => {
                "You already have a user account. Please contact the administrator or the primary user of your organization to activate it."
            }
        }
    }
}

impl fmt::Display for OnlineAccessRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl OnlineAccessFields {
    /// The proof of OAA-1 (`business` false) or OAA-2, every problem reported at once.
    pub fn validate(
        &self,
        business: bool,
        postal_code: &str,
        phone: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<Proof> {
        let account_number =
            check(errors, "account_number", RecordNumber::parse(&self.account_number, "account number"));
        if business {
            let order_number = check(errors, "order_number", RecordNumber::parse(&self.order_number, "order number"));
            let order_date = match self.order_date.trim() {
                "" => {
                    errors.push(FieldError::new("order_date", "Enter the order date"));
                    None
                }
                raw => check(errors, "order_date", Day::parse(raw)),
            };
            Some(Proof::Business {
                account_number: account_number?,
                order_number: order_number?,
                order_date: order_date?,
            })
        } else {
            let postal_code = check(errors, "postal_code", PostalCode::parse(postal_code));
            let phone = match phone.trim() {
                "" => {
                    errors.push(FieldError::new("phone", "Enter a phone number"));
                    None
                }
                raw => check(errors, "phone", Phone::parse(raw)),
            };
            Some(Proof::Individual { account_number: account_number?, postal_code: postal_code?, phone: phone? })
        }
    }
}

/// A validated online-access request, ready for the use case.
#[derive(Debug)]
pub struct OnlineAccessClaim {
    pub proof: Proof,
    pub email: Email,
    pub credentials: super::registration::NewCredentials,
    pub marketing_opt_in: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: OAA-1, OAA-2
    #[test]
    fn each_form_reports_its_missing_proof_fields() {
        let mut errors = Vec::new();
        assert!(OnlineAccessFields::default().validate(false, "", "", &mut errors).is_none());
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["account_number", "postal_code", "phone"]);

        let mut errors = Vec::new();
        let bad_date = OnlineAccessFields { order_date: "3 Feb".into(), ..Default::default() };
        assert!(bad_date.validate(true, "", "", &mut errors).is_none());
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["account_number", "order_number", "order_date"]);
        assert_eq!(errors[2].message, "Enter a date like 2027-01-31");
    }

    // covers: OAA-1, OAA-2
    #[test]
    fn numbers_are_trimmed_and_upper_cased() {
        let mut errors = Vec::new();
        let fields = OnlineAccessFields {
            account_number: " a-200001 ".into(),
            order_number: "o-600001".into(),
            order_date: "2026-02-03".into(),
        };
        let proof = fields.validate(true, "", "", &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(proof.account_number(), "A-200001");
        assert!(matches!(proof, Proof::Business { ref order_number, .. } if order_number.as_str() == "O-600001"));
    }

    // covers: OAA-2
    #[test]
    fn the_order_date_window_is_the_day_before_to_the_day_after() {
        let day = Day::parse("2026-02-03").unwrap();
        let (from, to) = order_date_window(day);
        assert_eq!(from, Day::parse("2026-02-02").unwrap().start_ms());
        assert_eq!(to, Day::parse("2026-02-04").unwrap().end_ms());
    }

    // covers: OAA-1
    #[test]
    fn phones_and_postal_codes_compare_loosely_but_not_too_loosely() {
        assert!(phones_match("+1 (415) 555-0100", "+14155550100"));
        assert!(phones_match("415 555 0100", "+14155550100"));
        assert!(!phones_match("555 0100", "+14155550100"), "a short tail is not enough");
        assert!(!phones_match("+1 415 555 0199", "+14155550100"));
        assert_eq!(postal_code_key(" sw1a 1aa"), "SW1A1AA");
        assert_eq!(postal_code_key("94105-1234"), "941051234");
    }

    // covers: OAA-1, OAA-3
    #[test]
    fn the_messages_are_the_specs_words() {
        assert_eq!(OnlineAccessRefusal::NotVerified.message(), "We could not verify your account details");
        assert_eq!(
            OnlineAccessRefusal::HasUsername.to_string(),
            "The account information provided already has an online username. Please sign in."
        );
    }
}
