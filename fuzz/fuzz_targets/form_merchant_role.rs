//! CON-2: a merchant role.
//! `MerchantRoleForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::catalog::{essential_permissions, MerchantRoleForm};
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["name", "description", "permissions"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<MerchantRoleForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
    let key = rules.flags[0].then_some("primary_user");
    refused_on_fields(&form.validate_permissions(essential_permissions(key)).map_err(|e| vec![e]), FIELDS);
});
