//! REG-3: the landing page after registration or sign-in is never an open redirect.
#![no_main]

use app::domain::{safe_ref, with_ref};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let landing = safe_ref(raw);
    assert!(landing == "/" || landing == raw);
    assert!(landing.starts_with('/') && !landing.starts_with("//") && !landing.starts_with("/\\"));
    assert_eq!(safe_ref(&landing), landing);
    let link = with_ref("/login", Some(raw));
    match link.split_once('?') {
        None => assert!(link == "/login" && landing == "/"),
        Some((path, query)) => {
            assert_eq!(path, "/login");
            let read: Vec<(String, String)> = serde_html_form::from_str(query).expect("the query reads back");
            assert_eq!(read, vec![("ref".to_owned(), landing)]);
        }
    }
});
