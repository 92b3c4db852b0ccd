//! LOG-4: the forgot-login form.
//! `ForgotLoginForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::ForgotLoginForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["username", "email"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<ForgotLoginForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
