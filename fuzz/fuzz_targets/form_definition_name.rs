//! APR-1: an approval definition's name.
//! `DefinitionNameForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::approval_setup::DefinitionNameForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["name"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<DefinitionNameForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
