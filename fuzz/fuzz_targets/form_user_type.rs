//! CON-1: a user type.
//! `UserTypeForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::UserTypeForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &[
    "key",
    "long_name",
    "short_name",
    "group",
    "kind",
    "approval_definition",
    "roles",
    "enrollments",
    "active",
    "self_service",
    "sort_order",
];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<UserTypeForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
