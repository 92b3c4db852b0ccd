//! `Email::parse` on any text.
#![no_main]

use app::domain::Email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(email) = Email::parse(raw) {
        assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        assert!(email.as_str().len() <= Email::MAX_LENGTH);
        assert_eq!(email.as_str(), email.as_str().trim());
    }
});
