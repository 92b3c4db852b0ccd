//! A telephone number as people write it, checked only as far as E.164 allows (7–15 digits).

use std::fmt;

/// A plausible phone number, kept in the user's own formatting (whitespace runs collapsed).
///
/// We do not reformat to E.164: without a country we cannot know how to, and people recognise
/// their number in the way they typed it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("Enter a phone number, like +1 415 555 0100")]
    Invalid,
}

impl Phone {
    pub const MIN_DIGITS: usize = 7;
    /// E.164 caps a full international number at 15 digits.
    pub const MAX_DIGITS: usize = 15;

    pub fn parse(raw: &str) -> Result<Phone, PhoneError> {
        let trimmed = raw.trim();
        let mut out = String::with_capacity(trimmed.len());
        let mut digits = 0;
        let mut after_space = false;
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                // Any whitespace (pasted numbers often carry no-break spaces) becomes one space.
                c if c.is_whitespace() => {
                    if !after_space {
                        out.push(' ');
                    }
                    after_space = true;
                    continue;
                }
                '0'..='9' => digits += 1,
                '+' if i == 0 => {}
                '-' | '(' | ')' | '.' => {}
                _ => return Err(PhoneError::Invalid),
            }
            after_space = false;
            out.push(c);
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits) {
            return Err(PhoneError::Invalid);
        }
        Ok(Phone(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits only, with a leading `+` kept, so `+1 (415) 555-0100` matches `+14155550100`.
    pub fn digits(&self) -> String {
        self.0
            .chars()
            .enumerate()
            .filter(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
            .map(|(_, c)| c)
            .collect()
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-5, REG-6, REG-10
    use super::*;

    #[test]
    fn keeps_formatting_and_collapses_whitespace() {
        let phone = Phone::parse("  +1  (415)\u{a0}555-0100 ").unwrap();
        assert_eq!(phone.as_str(), "+1 (415) 555-0100");
        assert_eq!(phone.digits(), "+14155550100");
        assert_eq!(Phone::parse("030.1234.5678").unwrap().digits(), "03012345678");
    }

    #[test]
    fn accepts_7_to_15_digits() {
        assert!(Phone::parse("555 010").is_err());
        assert!(Phone::parse("555 0100").is_ok());
        assert!(Phone::parse("+123 456 789 012 345").is_ok());
        assert!(Phone::parse("+123 456 789 012 3456").is_err());
    }

    #[test]
    fn rejects_letters_misplaced_plus_and_empty_input() {
        for raw in [
            "",
            "   ",
            "415-CALL-NOW",
            "1 415 555 0100 ext 2",
            "1+415 555 0100",
            "++1 415 555 0100",
            "+1 415 555 0100 #",
        ] {
            assert_eq!(
                Phone::parse(raw).unwrap_err().to_string(),
                "Enter a phone number, like +1 415 555 0100",
                "{raw:?}"
            );
        }
    }
}
