//! REG-12, NOT-4: a language code from a cookie or header never breaks a page.
#![no_main]

use app::domain::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let language = Language::from_code(raw);
    assert!(Language::ALL.contains(&language));
    assert_eq!(Language::from_code(language.code()), language);
});
