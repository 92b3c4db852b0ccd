//! LOG-6: set a password from an e-mailed link.
//! `PasswordResetForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::PasswordResetForm;
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["new_password", "new_password_confirm"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<PasswordResetForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(&rules.policy, &rules.person(), &COMMON), FIELDS);
});
