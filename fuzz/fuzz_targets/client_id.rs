//! CON-4, API-2: an integration user's Client ID on any text.
#![no_main]

use app::domain::integration::{ClientId, MAX_CLIENT_ID, MIN_CLIENT_ID};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(id) = ClientId::parse(raw) {
        assert_eq!(ClientId::parse(id.as_str()), Ok(id.clone()));
        assert!((MIN_CLIENT_ID..=MAX_CLIENT_ID).contains(&id.as_str().len()));
    }
});
