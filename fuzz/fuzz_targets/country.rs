//! REG-6: `CountryCode::parse` on any text.
#![no_main]

use app::domain::{CountryCode, COUNTRIES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(country) = CountryCode::parse(raw) {
        assert_eq!(CountryCode::parse(country.as_str()), Ok(country));
        assert!(COUNTRIES.contains(&(country.as_str(), country.name())));
    }
});
