//! An e-mail address as typed into a registration or contact form.

use email_address::{EmailAddress, Options};
use std::fmt;

/// A valid, trimmed e-mail address (case kept: local parts may be case-sensitive, RFC 5321).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an e-mail address")]
    Empty,
    #[error("Enter a valid e-mail address, like name@example.com")]
    Invalid,
}

impl Email {
    /// RFC 5321 path limit, in octets.
    pub const MAX_LENGTH: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > Self::MAX_LENGTH {
            return Err(EmailError::Invalid);
        }
        // The crate's defaults (`EmailAddress::is_valid`) also accept `Jane <jane@x.com>` and
        // `jane@[10.0.0.1]`; neither is something we can store and mail to as typed.
        let options = Options { allow_display_text: false, allow_domain_literal: false, ..Options::default() };
        let parsed = EmailAddress::parse_with_options(trimmed, options).map_err(|_| EmailError::Invalid)?;
        // `jane@localhost` is valid RFC 5322 but never a shopper's real address.
        let domain = parsed.domain();
        if !domain.contains('.') || domain.ends_with('.') {
            return Err(EmailError::Invalid);
        }
        Ok(Email(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-5, REG-14
    use super::*;

    #[test]
    fn accepts_and_trims_ordinary_addresses() {
        let email = Email::parse("  Jane.Doe+shop@Example.co.uk\n").unwrap();
        assert_eq!(email.as_str(), "Jane.Doe+shop@Example.co.uk");
    }

    #[test]
    fn empty_input_asks_for_an_address() {
        assert_eq!(Email::parse("  ").unwrap_err().to_string(), "Enter an e-mail address");
    }

    #[test]
    fn rejects_malformed_addresses_with_an_example() {
        for raw in [
            "jane",
            "jane@",
            "@example.com",
            "jane@localhost",
            "jane@example.",
            "jane@@example.com",
            "Jane <jane@example.com>",
            "jane@[10.0.0.1]",
            "jane doe@example.com",
        ] {
            assert_eq!(
                Email::parse(raw).unwrap_err().to_string(),
                "Enter a valid e-mail address, like name@example.com",
                "{raw}"
            );
        }
    }

    #[test]
    fn rejects_addresses_longer_than_254() {
        let domain = format!("{}.{}.{}.com", "a".repeat(63), "b".repeat(63), "c".repeat(63));
        let at_limit = format!("{}@{domain}", "j".repeat(254 - 1 - domain.len()));
        assert_eq!(at_limit.len(), 254);
        assert!(Email::parse(&at_limit).is_ok());
        let over = format!("j{at_limit}");
        assert_eq!(Email::parse(&over), Err(EmailError::Invalid));
    }
}
