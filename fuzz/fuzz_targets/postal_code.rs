//! REG-6: `PostalCode::parse` on any text.
#![no_main]

use app::domain::PostalCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(code) = PostalCode::parse(raw) {
        assert_eq!(PostalCode::parse(code.as_str()), Ok(code.clone()));
        assert!((PostalCode::MIN_LENGTH..=PostalCode::MAX_LENGTH).contains(&code.as_str().len()));
        assert_eq!(code.as_str(), code.as_str().to_ascii_uppercase());
    }
});
