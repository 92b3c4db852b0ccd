//! A user's login name (REG-8): what may be chosen, and the key that makes it unique.

use std::fmt;

/// A valid username, trimmed, with the case the user typed.
///
/// Only ASCII letters are accepted (not all Unicode letters): REG-8 requires case-insensitive
/// uniqueness, and ASCII lowercasing is simple, locale-free and stable, whereas Unicode case
/// folding and look-alike letters (Cyrillic `а` vs Latin `a`) would let two users hold names
/// that read the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("Enter a username")]
    Empty,
    #[error("Username must be at least 3 characters")]
    TooShort,
    #[error("Username must be at most 100 characters")]
    TooLong,
    #[error("Username may contain only letters, digits and . _ - @")]
    InvalidCharacters,
}

impl Username {
    pub const MIN_LENGTH: usize = 3;
    pub const MAX_LENGTH: usize = 100;

    pub fn parse(raw: &str) -> Result<Username, UsernameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(UsernameError::Empty);
        }
        // Characters first: "jo!" is better answered with what is allowed than with a length.
        if !trimmed.chars().all(is_allowed) {
            return Err(UsernameError::InvalidCharacters);
        }
        // All allowed characters are ASCII, so bytes == characters here.
        match trimmed.len() {
            n if n < Self::MIN_LENGTH => Err(UsernameError::TooShort),
            n if n > Self::MAX_LENGTH => Err(UsernameError::TooLong),
            _ => Ok(Username(trimmed.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The uniqueness key (REG-8): `Alice` and `alice` are the same user name.
    pub fn lower(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Username::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-8
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_letters_digits_and_the_four_symbols() {
        let name = Username::parse("  Jane.Doe_1-x@acme ").unwrap();
        assert_eq!(name.as_str(), "Jane.Doe_1-x@acme");
        assert_eq!(name.lower(), "jane.doe_1-x@acme");
        assert_eq!(name.to_string(), "Jane.Doe_1-x@acme");
    }

    #[test]
    fn accepts_exactly_3_and_100_characters() {
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(100)).is_ok());
    }

    #[test]
    fn each_rule_has_its_message() {
        let msg = |s: &str| Username::parse(s).unwrap_err().to_string();
        assert_eq!(msg("   "), "Enter a username");
        assert_eq!(msg("ab"), "Username must be at least 3 characters");
        assert_eq!(msg(&"a".repeat(101)), "Username must be at most 100 characters");
        assert_eq!(msg("jane doe"), "Username may contain only letters, digits and . _ - @");
    }

    #[test]
    fn rejects_non_ascii_letters_and_other_symbols() {
        for s in ["josé", "аlice", "a+b", "a/b", "a<b>", "tab\there"] {
            assert_eq!(Username::parse(s), Err(UsernameError::InvalidCharacters), "{s}");
        }
    }

    #[test]
    fn deserializing_validates() {
        let ok: Username = serde_json::from_str(r#"" Alice ""#).unwrap();
        assert_eq!(ok.as_str(), "Alice");
        assert!(serde_json::from_str::<Username>(r#""a b""#).is_err());
    }

    fn disallowed_char() -> impl Strategy<Value = char> {
        any::<char>().prop_filter("must be disallowed", |c| !is_allowed(*c))
    }

    proptest! {
        #[test]
        fn accepted_usernames_reparse_to_themselves(
            raw in prop_oneof!["\\PC{0,120}", "[ A-Za-z0-9._@é!-]{0,105}"]
        ) {
            if let Ok(name) = Username::parse(&raw) {
                prop_assert_eq!(Username::parse(name.as_str()), Ok(name.clone()));
                let lower = Username::parse(&name.lower()).unwrap().lower();
                prop_assert_eq!(lower, name.lower());
            }
        }

        #[test]
        fn strings_of_the_allowed_alphabet_and_length_parse(
            raw in "[A-Za-z0-9._@-]{3,100}", pad in "[ \t]{0,3}"
        ) {
            let name = Username::parse(&format!("{pad}{raw}{pad}")).unwrap();
            prop_assert_eq!(name.as_str(), raw.as_str());
        }

        #[test]
        fn a_disallowed_char_never_parses(
            before in "[a-z]{1,50}", bad in disallowed_char(), after in "[a-z]{1,50}"
        ) {
            let raw = format!("{before}{bad}{after}");
            prop_assert!(Username::parse(&raw).is_err());
        }
    }
}
