//! LOG-3, PRO-1: change one's password.
//! `PasswordChangeForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::PasswordChangeForm;
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["current_password", "new_password", "new_password_confirm"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<PasswordChangeForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(&rules.policy, &rules.person(), &COMMON), FIELDS);
});
