//! CON-2: the console's settings form, one field per setting, then its `validate()`.
#![no_main]

use std::sync::LazyLock;

use app::domain::settings_form::{SettingsForm, SETTINGS};
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

static FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| SETTINGS.iter().map(|s| s.key).collect());

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<SettingsForm>(data, &FIELDS) else { return };
    let result = form.validate();
    refused_on_fields(&result, &FIELDS);
    if let Ok(values) = result {
        // Every setting is stored, each once, in the order of SETTINGS.
        assert!(values.iter().map(|(key, _)| *key).eq(SETTINGS.iter().map(|s| s.key)));
    }
});
