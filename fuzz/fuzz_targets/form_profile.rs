//! PRO-1: personal information.
//! `ProfileForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::ProfileForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["first_name", "last_name", "email", "phone", "language"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<ProfileForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
