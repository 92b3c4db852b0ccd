//! REG-6, REG-10: the company part of a registration.
//! `CompanyForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::CompanyForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] =
    &["company_name", "address_line1", "address_line2", "city", "region", "postal_code", "country", "company_phone"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<CompanyForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(rules.flags[0]), FIELDS);
});
