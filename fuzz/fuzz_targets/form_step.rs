//! APR-2: a step of an approval definition.
//! `StepForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::approval_setup::StepForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["approver_kind", "username", "group_id"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<StepForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
