//! PRO-5: the company profile.
//! `CompanyProfileForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::CompanyProfileForm;
use gatehouse_fuzz::{form, refused_on_fields};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &["company_name", "website", "annual_revenue", "company_phone"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<CompanyProfileForm>(data, FIELDS) else { return };
    let result = form.validate(rules.flags[0]);
    refused_on_fields(&result, FIELDS);
    if let Ok(profile) = result {
        // The link the page shows can never run script.
        if let Some(website) = profile.website {
            let scheme = website.to_ascii_lowercase();
            assert!(scheme.starts_with("https://") || scheme.starts_with("http://"));
        }
    }
});
