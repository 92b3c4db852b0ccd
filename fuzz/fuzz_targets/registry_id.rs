//! REG-6, REG-7: `RegistryId::parse` on any text, and the ids made from random bytes.
#![no_main]

use app::domain::{RegistryId, REGISTRY_ID_ALPHABET};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(id) = RegistryId::parse(raw) {
        assert_eq!(RegistryId::parse(id.as_str()), Ok(id.clone()));
        let body = id.as_str().strip_prefix("R-").expect("an id starts with R-");
        assert!(body.len() == 6 && body.bytes().all(|b| REGISTRY_ID_ALPHABET.contains(&b)));
    }
    let mut bytes = [0u8; 6];
    for (slot, b) in bytes.iter_mut().zip(raw.bytes()) {
        *slot = b;
    }
    let made = RegistryId::from_random_bytes(bytes);
    assert_eq!(RegistryId::parse(made.as_str()), Ok(made.clone()));
});
