//! The password policy (REG-9): long enough, not too long, and hard to guess.

use std::fmt;

/// Settings `password_min_length` and `password_hard_to_guess` (REG-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub hard_to_guess: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: 12, hard_to_guess: true }
    }
}

/// What the registrant typed elsewhere in the form; a password must not contain it.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    pub username: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

/// The list of common and breached passwords. The server injects the bundled list; the browser
/// uses [`NoCommonList`] so that it need not download it (the server check still applies).
pub trait CommonPasswords {
    fn contains(&self, candidate: &str) -> bool;
}

/// A list that contains nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCommonList;

impl CommonPasswords for NoCommonList {
    fn contains(&self, _candidate: &str) -> bool {
        false
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Password must be at least {min} characters")]
    TooShort { min: usize },
    #[error("Password must be at most 128 characters")]
    TooLong,
    #[error("Password must not contain your username or name")]
    ContainsPersonalData,
    #[error("This password is too common")]
    TooCommon,
}

/// A password that satisfies the policy. Deliberately not `Clone`, `Display` or `Serialize`,
/// and `Debug` prints `Password(***)`, so it cannot leak into logs, responses or e-mails (SEC-7).
pub struct Password(String);

/// Context parts shorter than this are ignored: a first name "Al" would otherwise forbid every
/// password containing "al".
const MIN_PERSONAL_PART: usize = 3;

impl Password {
    /// Long passphrases are welcome, but argon2 work and request size must stay bounded.
    pub const MAX_LENGTH: usize = 128;

    /// Checks the rules in REG-9 order and reports the first one broken. Length is counted in
    /// Unicode scalar values, so `pässwörd` is 8 characters whatever its byte length. Any
    /// character is allowed and nothing is trimmed: spaces may be part of a passphrase.
    pub fn parse(
        raw: String,
        policy: &PasswordPolicy,
        ctx: &PasswordContext<'_>,
        common: &dyn CommonPasswords,
    ) -> Result<Password, PasswordError> {
        let length = raw.chars().count();
        if length < policy.min_length {
            return Err(PasswordError::TooShort { min: policy.min_length });
        }
        if length > Self::MAX_LENGTH {
            return Err(PasswordError::TooLong);
        }
        if policy.hard_to_guess {
            if contains_personal_data(&raw, ctx) {
                return Err(PasswordError::ContainsPersonalData);
            }
            if common.contains(&raw) {
                return Err(PasswordError::TooCommon);
            }
        }
        Ok(Password(raw))
    }

    /// The clear text, for hashing only.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

fn contains_personal_data(raw: &str, ctx: &PasswordContext<'_>) -> bool {
    let password = raw.to_lowercase();
    [ctx.username, ctx.first_name, ctx.last_name]
        .iter()
        .map(|part| part.trim())
        .filter(|part| part.chars().count() >= MIN_PERSONAL_PART)
        .any(|part| password.contains(&part.to_lowercase()))
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// REG-5's "Confirm password" check.
pub fn confirm_matches(password: &str, confirm: &str) -> Result<(), &'static str> {
    if password == confirm {
        Ok(())
    } else {
        Err("Passwords do not match")
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-9, SEC-7
    use super::*;
    use proptest::prelude::*;

    const CTX: PasswordContext<'static> =
        PasswordContext { username: "jdoe@acme", first_name: "Jane", last_name: "Al" };

    /// A list holding one password, standing in for the server's bundled list.
    struct OneCommon(&'static str);
    impl CommonPasswords for OneCommon {
        fn contains(&self, candidate: &str) -> bool {
            candidate == self.0
        }
    }

    fn parse(raw: &str, policy: PasswordPolicy) -> Result<Password, PasswordError> {
        Password::parse(raw.to_owned(), &policy, &CTX, &OneCommon("correct horse battery"))
    }

    fn message(raw: &str) -> String {
        parse(raw, PasswordPolicy::default()).unwrap_err().to_string()
    }

    #[test]
    fn default_policy_is_12_characters_and_hard_to_guess() {
        let policy = PasswordPolicy::default();
        assert_eq!((policy.min_length, policy.hard_to_guess), (12, true));
    }

    #[test]
    fn each_rule_has_its_message() {
        assert_eq!(message("short"), "Password must be at least 12 characters");
        assert_eq!(message(&"x".repeat(129)), "Password must be at most 128 characters");
        assert_eq!(message("my JDOE@ACME pw!"), "Password must not contain your username or name");
        assert_eq!(message("xxjanexxxxxxx"), "Password must not contain your username or name");
        assert_eq!(message("correct horse battery"), "This password is too common");
    }

    #[test]
    fn the_minimum_comes_from_the_policy() {
        let policy = PasswordPolicy { min_length: 8, hard_to_guess: true };
        assert!(parse("8 chars!", policy).is_ok());
        assert_eq!(parse("7 chars", policy).unwrap_err().to_string(), "Password must be at least 8 characters");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(parse("ääääääääääää", PasswordPolicy::default()).is_ok());
        assert!(parse(&"ä".repeat(128), PasswordPolicy::default()).is_ok());
        assert_eq!(parse(&"ä".repeat(129), PasswordPolicy::default()).unwrap_err(), PasswordError::TooLong);
    }

    #[test]
    fn name_parts_shorter_than_3_characters_are_ignored() {
        assert!(parse("totally alright", PasswordPolicy::default()).is_ok());
        let empty = PasswordContext::default();
        assert!(Password::parse("anything goes".into(), &PasswordPolicy::default(), &empty, &NoCommonList).is_ok());
    }

    #[test]
    fn without_hard_to_guess_only_length_applies() {
        let lax = PasswordPolicy { min_length: 12, hard_to_guess: false };
        assert!(parse("jane jane jane", lax).is_ok());
        assert!(parse("correct horse battery", lax).is_ok());
        assert!(parse("jane", lax).is_err());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = parse("s3cret passphrase", PasswordPolicy::default()).unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert_eq!(password.expose_secret(), "s3cret passphrase");
    }

    #[test]
    fn confirmation_must_match_exactly() {
        assert_eq!(confirm_matches("abc def", "abc def"), Ok(()));
        assert_eq!(confirm_matches("abc def", "abc def "), Err("Passwords do not match"));
    }

    fn chars(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), len).prop_map(String::from_iter)
    }

    proptest! {
        #[test]
        fn passwords_within_the_length_bounds_and_free_of_personal_data_parse(
            (min, raw) in (1usize..=128).prop_flat_map(|min| (Just(min), chars(min..=128)))
        ) {
            let lower = raw.to_lowercase();
            prop_assume!(!["jdoe@acme", "jane"].iter().any(|p| lower.contains(p)));
            let policy = PasswordPolicy { min_length: min, hard_to_guess: true };
            prop_assert!(Password::parse(raw, &policy, &CTX, &NoCommonList).is_ok());
        }

        #[test]
        fn passwords_over_128_characters_are_too_long(
            min in 0usize..=128, hard in any::<bool>(), raw in chars(129..=400)
        ) {
            let policy = PasswordPolicy { min_length: min, hard_to_guess: hard };
            let result = Password::parse(raw, &policy, &CTX, &NoCommonList);
            prop_assert_eq!(result.unwrap_err(), PasswordError::TooLong);
        }
    }
}
