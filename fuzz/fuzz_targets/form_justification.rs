//! CON-3: enable, delete, remove a role.
//! `JustificationForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::console_user::JustificationForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["justification"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<JustificationForm>(data, FIELDS) else { return };
    refused_on_fields(&form.optional(), FIELDS);
    refused_on_fields(&form.required(), FIELDS);
});
