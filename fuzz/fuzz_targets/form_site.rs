//! ADM-5: a specialty site.
//! `SiteForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::catalog::SiteForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["key", "name", "required_role_id", "active"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<SiteForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(rules.flags[0]), FIELDS);
});
