//! PRO-2: one more e-mail address.
//! `EmailAddForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::EmailAddForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["email"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<EmailAddForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
