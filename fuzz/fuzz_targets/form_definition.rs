//! APR-1: a new approval definition.
//! `DefinitionForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::approval_setup::DefinitionForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["key", "name"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<DefinitionForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
