//! CON-3: an operator resets a user's password.
//! `ResetPasswordForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::console_user::ResetPasswordForm;
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["password_method", "password", "password_confirm"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<ResetPasswordForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(&rules.policy, &rules.person(), &COMMON), FIELDS);
});
