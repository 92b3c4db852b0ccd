//! LOG-1: the sign-in form.
//! `SignInForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::{SignInForm, SignInRefusal};
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["username", "password"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<SignInForm>(data, FIELDS) else { return };
    if let Err(SignInRefusal::Missing(errors)) = form.validate() {
        refused_on_fields::<()>(&Err(errors), FIELDS);
    }
});
