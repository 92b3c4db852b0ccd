//! APR-3: a member of an approval group.
//! `MemberForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::approval_setup::MemberForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["username"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<MemberForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
