//! Languages of the user interface and of notifications (REG-12, NOT-4); English for now.

/// A supported language. Adding one means a variant here plus its code in [`Language::code`]
/// and [`Language::from_code`]; the exhaustive matches point at everything else to translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::English];

    /// The BCP 47 primary language subtag, as stored and as used in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
        }
    }

    /// Reads `en`, `EN` or `en-GB`; anything unsupported falls back to English, because a
    /// stale cookie or an odd browser header must never break a page.
    pub fn from_code(code: &str) -> Language {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        Language::ALL.iter().copied().find(|language| language.code().eq_ignore_ascii_case(primary)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-12, NOT-4
    use super::*;

    #[test]
    fn english_is_en_and_the_default() {
        assert_eq!(Language::English.code(), "en");
        assert_eq!(Language::default(), Language::English);
        assert_eq!(serde_json::to_string(&Language::English).unwrap(), r#""en""#);
    }

    #[test]
    fn from_code_reads_region_tags_and_falls_back_to_english() {
        for code in ["en", "EN", "en-GB", "en_US", "", "xx", "fr"] {
            assert_eq!(Language::from_code(code), Language::English, "{code:?}");
        }
    }

    #[test]
    fn every_language_round_trips_through_its_code() {
        for &language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), language);
        }
    }
}
