//! `Phone::parse` on any text.
#![no_main]

use app::domain::Phone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(phone) = Phone::parse(raw) {
        assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
        let digits = phone.digits();
        let count = digits.chars().filter(char::is_ascii_digit).count();
        assert!((Phone::MIN_DIGITS..=Phone::MAX_DIGITS).contains(&count));
    }
});
