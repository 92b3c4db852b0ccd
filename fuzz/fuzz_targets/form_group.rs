//! APR-3: an approval group.
//! `GroupForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::approval_setup::GroupForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["name", "scope", "organization"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<GroupForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
