//! CON-3: grant a role.
//! `RoleGrantForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::console_user::RoleGrantForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["role_id", "start_date", "end_date", "justification"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<RoleGrantForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
