//! CON-3: disable a user.
//! `DisableForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::console_user::DisableForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["effective_date", "justification"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<DisableForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
