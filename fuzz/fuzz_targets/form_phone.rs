//! PRO-2: the phone book.
//! `PhoneForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::PhoneForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["number", "kind"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<PhoneForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
