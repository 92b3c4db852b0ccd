//! A postal code for a company address (REG-6), checked loosely enough for every country.

use std::fmt;

/// A postal code: trimmed, uppercased, 2–10 ASCII letters, digits, spaces and hyphens.
///
/// Country-specific formats are deliberately not checked: they change, and a shopper with an
/// unusual but real code must never be locked out of registering.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PostalCodeError {
    #[error("Enter a postal code")]
    Empty,
    #[error("Enter a valid postal code")]
    Invalid,
}

impl PostalCode {
    pub const MIN_LENGTH: usize = 2;
    pub const MAX_LENGTH: usize = 10;

    pub fn parse(raw: &str) -> Result<PostalCode, PostalCodeError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(PostalCodeError::Empty);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == ' ' || c == '-';
        // Only ASCII is allowed, so byte length is character length.
        let length_ok = (Self::MIN_LENGTH..=Self::MAX_LENGTH).contains(&trimmed.len());
        // "--" is the right length but not a code: at least one letter or digit is required.
        let has_alphanumeric = trimmed.chars().any(|c| c.is_ascii_alphanumeric());
        if !trimmed.chars().all(allowed) || !length_ok || !has_alphanumeric {
            return Err(PostalCodeError::Invalid);
        }
        Ok(PostalCode(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PostalCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PostalCode {
    type Error = PostalCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PostalCode::parse(&value)
    }
}

impl From<PostalCode> for String {
    fn from(value: PostalCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-6
    use super::*;

    #[test]
    fn accepts_codes_of_many_countries_uppercased() {
        let cases = [
            ("94105", "94105"),
            (" sw1a 1aa ", "SW1A 1AA"),
            ("k1a 0b1", "K1A 0B1"),
            ("1234-567", "1234-567"),
            ("10", "10"),
            ("0123456789", "0123456789"),
        ];
        for (raw, stored) in cases {
            assert_eq!(PostalCode::parse(raw).unwrap().as_str(), stored);
        }
    }

    #[test]
    fn empty_input_asks_for_a_code() {
        assert_eq!(PostalCode::parse("  ").unwrap_err().to_string(), "Enter a postal code");
    }

    #[test]
    fn rejects_wrong_length_or_characters() {
        for raw in ["1", "01234567890", "75001!", "Ü1234", "12_34", "--", "12\t34"] {
            assert_eq!(PostalCode::parse(raw).unwrap_err().to_string(), "Enter a valid postal code", "{raw:?}");
        }
    }
}
