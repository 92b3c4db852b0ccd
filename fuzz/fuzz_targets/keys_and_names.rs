//! CON-2, APR-1, APR-10, ADM-5: the keys and display names of the merchant's catalogue.
#![no_main]

use app::domain::approval_setup::{parse_key, parse_name, MAX_KEY, MAX_NAME};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(key) = parse_key(raw) {
        assert_eq!(parse_key(&key), Ok(key.clone()));
        assert!((2..=MAX_KEY).contains(&key.len()));
    }
    if let Ok(name) = parse_name(raw, "Enter a name") {
        assert_eq!(parse_name(&name, "Enter a name"), Ok(name.clone()));
        assert!(name.chars().count() <= MAX_NAME);
    }
});
