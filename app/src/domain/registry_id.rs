//! The Registry ID a registered company gets (REG-6) and its staff quote to join it (REG-7).

use std::fmt;

/// Digits and capitals without `I` and `O`, which are too easily read as `1` and `0`.
pub const REGISTRY_ID_ALPHABET: &[u8; 34] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// `R-` and 6 characters of [`REGISTRY_ID_ALPHABET`], e.g. `R-7K4Q2M`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistryId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegistryIdError {
    #[error("Enter the Registry ID")]
    Empty,
    #[error("Enter a Registry ID like R-7K4Q2M")]
    Invalid,
}

const PREFIX: &str = "R-";
const BODY_LENGTH: usize = 6;

impl RegistryId {
    /// Reads an ID as a person types it: surrounding whitespace and lowercase are fine, and
    /// since `I` and `O` never occur in an ID, they can only mean `1` and `0`.
    pub fn parse(raw: &str) -> Result<RegistryId, RegistryIdError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(RegistryIdError::Empty);
        }
        let upper = trimmed.to_ascii_uppercase();
        let body = upper.strip_prefix(PREFIX).ok_or(RegistryIdError::Invalid)?;
        let body: String = body
            .chars()
            .map(|c| match c {
                'I' => '1',
                'O' => '0',
                c => c,
            })
            .collect();
        let valid = body.len() == BODY_LENGTH && body.bytes().all(|b| REGISTRY_ID_ALPHABET.contains(&b));
        if !valid {
            return Err(RegistryIdError::Invalid);
        }
        Ok(RegistryId(format!("{PREFIX}{body}")))
    }

    /// Builds an ID from 6 random bytes (the caller owns the randomness, keeping this module
    /// free of I/O). `b % 34` favours the first 18 characters very slightly (8 of 256 values);
    /// that is fine because a Registry ID identifies a company but is not a secret, and
    /// uniqueness is enforced by the store, not by chance.
    pub fn from_random_bytes(bytes: [u8; BODY_LENGTH]) -> RegistryId {
        let mut id = String::with_capacity(PREFIX.len() + BODY_LENGTH);
        id.push_str(PREFIX);
        for b in bytes {
            let index = usize::from(b) % REGISTRY_ID_ALPHABET.len();
            id.push(char::from(REGISTRY_ID_ALPHABET[index]));
        }
        RegistryId(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegistryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RegistryId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegistryId {
    type Error = RegistryIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        RegistryId::parse(&value)
    }
}

impl From<RegistryId> for String {
    fn from(value: RegistryId) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-6, REG-7
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn alphabet_has_digits_and_capitals_without_i_and_o() {
        assert_eq!(REGISTRY_ID_ALPHABET.len(), 34);
        assert!(!REGISTRY_ID_ALPHABET.contains(&b'I'));
        assert!(!REGISTRY_ID_ALPHABET.contains(&b'O'));
    }

    #[test]
    fn parses_the_spec_example_and_the_demo_company() {
        assert_eq!(RegistryId::parse("R-7K4Q2M").unwrap().as_str(), "R-7K4Q2M");
        assert_eq!(RegistryId::parse("R-ACME01").unwrap().as_str(), "R-ACME01");
    }

    #[test]
    fn accepts_lowercase_and_whitespace_and_reads_i_o_as_1_0() {
        assert_eq!(RegistryId::parse("  r-acme01 ").unwrap().as_str(), "R-ACME01");
        assert_eq!(RegistryId::parse("R-ACMEOI").unwrap().as_str(), "R-ACME01");
    }

    #[test]
    fn empty_input_asks_for_the_id() {
        assert_eq!(RegistryId::parse(" ").unwrap_err().to_string(), "Enter the Registry ID");
    }

    #[test]
    fn malformed_ids_show_an_example() {
        for raw in ["7K4Q2M", "R7K4Q2M", "R-7K4Q2", "R-7K4Q2MX", "X-7K4Q2M", "R-7K4Q2!", "R-7K4Q2É", "R--7K4Q2"] {
            assert_eq!(RegistryId::parse(raw).unwrap_err().to_string(), "Enter a Registry ID like R-7K4Q2M", "{raw:?}");
        }
    }

    #[test]
    fn random_bytes_map_onto_the_alphabet() {
        let id = RegistryId::from_random_bytes([0, 1, 33, 34, 255, 10]);
        assert_eq!(id.as_str(), "R-01Z0HA");
    }

    proptest! {
        #[test]
        fn generated_ids_always_parse_to_themselves(bytes in any::<[u8; 6]>()) {
            let id = RegistryId::from_random_bytes(bytes);
            prop_assert_eq!(RegistryId::parse(id.as_str()), Ok(id.clone()));
        }
    }
}
