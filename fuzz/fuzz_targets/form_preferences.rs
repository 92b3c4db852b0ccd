//! PRO-4: marketing opt-in and notification language.
//! `PreferencesForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::PreferencesForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["marketing_opt_in", "language"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<PreferencesForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
