//! Names of people and companies: free text in any script, kept safe to display and store.

use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A first or last name: trimmed, NFC-normalised, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    #[error("Enter a name")]
    Empty,
    #[error("Name must be at most 100 characters")]
    TooLong,
    #[error("Name contains characters that are not allowed")]
    InvalidCharacters,
}

/// A company's name: the same rules as a person's name, up to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanyName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CompanyNameError {
    #[error("Enter the company name")]
    Empty,
    #[error("Company name must be at most 200 characters")]
    TooLong,
    #[error("Company name contains characters that are not allowed")]
    InvalidCharacters,
}

enum Problem {
    Empty,
    TooLong,
    InvalidCharacters,
}

/// Shared rules. NFC makes `é` typed as `e` + combining accent equal to the precomposed `é`,
/// so the same name compares, searches and counts the same however it was typed.
fn clean(raw: &str, max_chars: usize) -> Result<String, Problem> {
    let normalized: String = raw.trim().nfc().collect();
    // A name of nothing but invisible characters (a zero-width space, say) is no name.
    if normalized.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(Problem::Empty);
    }
    if normalized.chars().count() > max_chars {
        return Err(Problem::TooLong);
    }
    if normalized.chars().any(is_forbidden) {
        return Err(Problem::InvalidCharacters);
    }
    Ok(normalized)
}

/// Characters that show nothing on their own. Kept inside a name (the zero-width joiners are
/// part of some scripts' spelling), but a name must have something else.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Control characters break e-mails and CSV exports; `<` and `>` are never part of a real name
/// and are the first step of markup injection into e-mails. Bidirectional overrides are rejected
/// too, because they make a displayed name read differently from what is stored.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '<' | '>') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl PersonName {
    pub const MAX_LENGTH: usize = 100;

    pub fn parse(raw: &str) -> Result<PersonName, PersonNameError> {
        clean(raw, Self::MAX_LENGTH).map(PersonName).map_err(|p| match p {
            Problem::Empty => PersonNameError::Empty,
            Problem::TooLong => PersonNameError::TooLong,
            Problem::InvalidCharacters => PersonNameError::InvalidCharacters,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CompanyName {
    pub const MAX_LENGTH: usize = 200;

    pub fn parse(raw: &str) -> Result<CompanyName, CompanyNameError> {
        clean(raw, Self::MAX_LENGTH).map(CompanyName).map_err(|p| match p {
            Problem::Empty => CompanyNameError::Empty,
            Problem::TooLong => CompanyNameError::TooLong,
            Problem::InvalidCharacters => CompanyNameError::InvalidCharacters,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($ty:ident, $err:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $ty::parse(&value)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
    };
}
string_newtype_impls!(PersonName, PersonNameError);
string_newtype_impls!(CompanyName, CompanyNameError);

#[cfg(test)]
mod tests {
    // covers: REG-5, REG-6, REG-14
    use super::*;

    #[test]
    fn names_in_any_script_are_trimmed_and_kept() {
        for name in ["Zoë", "O'Brien-Smith", "李", "Ødegård Jr.", "Nguyễn Văn A", "می\u{200C}خواهم"] {
            assert_eq!(PersonName::parse(&format!("  {name} ")).unwrap().as_str(), name);
        }
    }

    #[test]
    fn decomposed_input_is_stored_composed() {
        let name = PersonName::parse("Jose\u{301}").unwrap();
        assert_eq!(name.as_str(), "Jos\u{e9}");
        assert_eq!(name.as_str().chars().count(), 4);
    }

    #[test]
    fn person_name_rules_have_their_messages() {
        let msg = |s: &str| PersonName::parse(s).unwrap_err().to_string();
        assert_eq!(msg(" \n "), "Enter a name");
        assert_eq!(msg("\u{200B}\u{200B}"), "Enter a name");
        assert_eq!(msg(" \u{FEFF}\u{2060} "), "Enter a name");
        assert_eq!(msg(&"é".repeat(101)), "Name must be at most 100 characters");
        assert_eq!(msg("Bob <script>"), "Name contains characters that are not allowed");
        assert_eq!(msg("Bob\u{7}"), "Name contains characters that are not allowed");
        assert_eq!(msg("Ann\nLee"), "Name contains characters that are not allowed");
        assert_eq!(msg("Eve\u{202E}kcab"), "Name contains characters that are not allowed");
    }

    #[test]
    fn length_counts_characters_after_normalisation() {
        // 100 decomposed `é` are 200 chars as typed but 100 once composed.
        assert!(PersonName::parse(&"e\u{301}".repeat(100)).is_ok());
        assert!(PersonName::parse("A").is_ok());
    }

    #[test]
    fn company_name_allows_200_characters_and_has_its_own_messages() {
        assert!(CompanyName::parse(&"A".repeat(200)).is_ok());
        let msg = |s: &str| CompanyName::parse(s).unwrap_err().to_string();
        assert_eq!(msg(""), "Enter the company name");
        assert_eq!(msg(&"A".repeat(201)), "Company name must be at most 200 characters");
        assert_eq!(msg("<b>ACME</b>"), "Company name contains characters that are not allowed");
        assert_eq!(CompanyName::parse(" ACME & Co. ").unwrap().as_str(), "ACME & Co.");
    }
}
