//! CON-3: create a bare user.
//! `BareUserForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::console_user::BareUserForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["first_name", "last_name", "email", "username"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<BareUserForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
