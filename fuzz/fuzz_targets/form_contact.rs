//! ADM-2: the Create contact form.
//! `ContactForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::admin_contact::ContactForm;
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "contact_status",
    "register_as_user",
    "user_type",
    "username",
    "password_method",
    "temporary_password",
    "account_id",
    "start_date",
    "end_date",
];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<ContactForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(&rules.policy, &COMMON), FIELDS);
});
