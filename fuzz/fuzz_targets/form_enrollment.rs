//! APR-10: an enrollment.
//! `EnrollmentForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::catalog::EnrollmentForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["key", "name", "description", "approval_definition_id", "roles", "active"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<EnrollmentForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(rules.flags[0]), FIELDS);
});
