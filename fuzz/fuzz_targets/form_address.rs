//! REG-6, PRO-2, PRO-5: an address and its usages.
//! `AddressForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::AddressForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["address_line1", "address_line2", "city", "region", "postal_code", "country", "usages"];

fuzz_target!(|data: &[u8]| {
    let Some((form, _)) = form::<AddressForm>(data, FIELDS) else { return };
    refused_on_fields(&form.validate(), FIELDS);
});
