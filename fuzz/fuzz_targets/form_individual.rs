//! REG-5: the individual registration form.
//! `IndividualForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::IndividualForm;
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] =
    &["first_name", "last_name", "email", "phone", "username", "password", "password_confirm", "marketing_opt_in"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<IndividualForm>(data, FIELDS) else { return };
    let result = form.validate(&rules.policy, &COMMON);
    refused_on_fields(&result, FIELDS);
    assert!(form.without_secrets().password.is_empty());
});
