//! APR-5, APR-6: the Approve and Reject forms.
//! `DecisionForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::DecisionForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["comments", "accounts"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<DecisionForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
