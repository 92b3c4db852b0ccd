//! CON-4, API-2: an integration user.
//! `IntegrationForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::integration::IntegrationForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["client_id", "name", "scopes", "organizations"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<IntegrationForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate_new(), FIELDS);
    refused_on_fields(&form.validate_access(), FIELDS);
});
