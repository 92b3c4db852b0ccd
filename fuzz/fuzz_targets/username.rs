//! REG-8: `Username::parse` on any text.
#![no_main]

use app::domain::Username;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(username) = Username::parse(raw) {
        // What was accepted reads back the same, within the limits, with an ASCII uniqueness key.
        assert_eq!(Username::parse(username.as_str()), Ok(username.clone()));
        assert!((Username::MIN_LENGTH..=Username::MAX_LENGTH).contains(&username.as_str().len()));
        assert!(username.lower().is_ascii());
    }
});
