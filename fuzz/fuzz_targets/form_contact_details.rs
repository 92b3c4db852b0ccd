//! ADM-3, ADM-8: a contact's details and login.
//! `ContactDetailsForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::admin_contact::ContactDetailsForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "contact_status",
    "marketing_opt_in",
    "user_status",
    "start_date",
    "end_date",
    "username",
];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<ContactDetailsForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(rules.flags[0], rules.flags[1]), FIELDS);
});
