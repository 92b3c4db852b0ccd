//! CON-3, CON-5: an operator's justification on any text.
#![no_main]

use app::domain::console_user::Justification;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    match Justification::parse_optional(raw) {
        Ok(Some(text)) => {
            assert!(text.as_str().chars().count() <= Justification::MAX_LENGTH);
            assert_eq!(Justification::parse(raw), Ok(text));
        }
        Ok(None) => assert!(Justification::parse(raw).is_err()),
        Err(_) => assert!(Justification::parse(raw).is_err()),
    }
});
