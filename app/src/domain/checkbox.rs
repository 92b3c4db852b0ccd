//! Reading an HTML checkbox from a form post, for opt-ins such as marketing (REG-5, REG-11).
//!
//! A checkbox posts its value (`on` unless the page sets another) when checked and nothing at
//! all when not; JSON callers send a boolean. Use with
//! `#[serde(default, deserialize_with = "crate::domain::checkbox::deserialize")]`.
//! Unrecognised values mean "not opted in", since consent must never be assumed.

use serde::de::{Deserializer, Error, Visitor};
use std::fmt;

/// `on`, `true`, `1`, `yes` (any case) or a JSON `true` is checked; anything else is not.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(CheckboxVisitor)
}

struct CheckboxVisitor;

impl<'de> Visitor<'de> for CheckboxVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a checkbox value or a boolean")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<bool, E> {
        Ok(matches!(v.trim().to_ascii_lowercase().as_str(), "on" | "true" | "1" | "yes"))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<bool, E> {
        Ok(v == 1)
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<bool, E> {
        Ok(v == 1)
    }

    fn visit_unit<E: Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_none<E: Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-5, REG-11
    use serde::de::value::{Error as ValueError, MapDeserializer};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Form {
        #[serde(default, deserialize_with = "super::deserialize")]
        opt_in: bool,
    }

    /// Deserialises like an HTML form post: every value arrives as a string.
    fn posted(pairs: &[(&'static str, &'static str)]) -> bool {
        let map = MapDeserializer::<_, ValueError>::new(pairs.iter().copied());
        Form::deserialize(map).unwrap().opt_in
    }

    #[test]
    fn an_absent_checkbox_means_no() {
        assert!(!posted(&[]));
    }

    #[test]
    fn checked_values_mean_yes_and_others_no() {
        for value in ["on", "true", "1", "ON", "yes"] {
            assert!(posted(&[("opt_in", value)]), "{value}");
        }
        for value in ["off", "false", "0", "", "maybe"] {
            assert!(!posted(&[("opt_in", value)]), "{value}");
        }
    }

    #[test]
    fn json_booleans_and_null_are_read() {
        let read = |json: &str| serde_json::from_str::<Form>(json).unwrap().opt_in;
        assert!(read(r#"{"opt_in":true}"#));
        assert!(!read(r#"{"opt_in":false}"#));
        assert!(!read(r#"{"opt_in":null}"#));
        assert!(!read("{}"));
    }
}
