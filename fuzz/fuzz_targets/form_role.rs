//! ADM-7: a company's custom role.
//! `RoleForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::RoleForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["name", "description", "permissions"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<RoleForm>(data, FIELDS) else { return };
    let result = form.validate(&rules.permissions);
    refused_on_fields(&result, FIELDS);
    if let Ok(role) = result {
        // No escalation: a role is never wider than its author.
        assert!(role.permissions.iter().all(|p| rules.permissions.holds(*p)));
    }
});
