//! `PersonName::parse` and `CompanyName::parse` on any text.
#![no_main]

use app::domain::{CompanyName, PersonName};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(name) = PersonName::parse(raw) {
        assert_eq!(PersonName::parse(name.as_str()), Ok(name.clone()));
        assert!(name.as_str().chars().count() <= PersonName::MAX_LENGTH);
        assert!(!name.as_str().contains(['<', '>']));
    }
    if let Ok(name) = CompanyName::parse(raw) {
        assert_eq!(CompanyName::parse(name.as_str()), Ok(name.clone()));
        assert!(name.as_str().chars().count() <= CompanyName::MAX_LENGTH);
        assert!(!name.as_str().contains(['<', '>']));
    }
});
