//! The company part of the company registration form (REG-6, REG-10): name, address and phone,
//! validated all at once like the person part.

use super::address::validate_postal_address;
use super::field::FieldError;
use super::{CompanyName, CountryCode, Phone, PostalCode};

/// A validated company, ready for the use case.
#[derive(Debug, Clone)]
pub struct CompanyDetails {
    pub name: CompanyName,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: PostalCode,
    pub country: CountryCode,
    pub phone: Option<Phone>,
}

/// The company fields as posted (REG-6 names). Missing fields read as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    pub company_name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub company_phone: String,
}

impl CompanyForm {
    /// `phone_required` is the `mandate_business_phone` setting (REG-10).
    pub fn validate(&self, phone_required: bool) -> Result<CompanyDetails, Vec<FieldError>> {
        validate_company(
            |name| {
                match name {
                    "company_name" => &self.company_name,
                    "address_line1" => &self.address_line1,
                    "address_line2" => &self.address_line2,
                    "city" => &self.city,
                    "region" => &self.region,
                    "postal_code" => &self.postal_code,
                    "country" => &self.country,
                    "company_phone" => &self.company_phone,
                    _ => "",
                }
                .to_owned()
            },
            phone_required,
        )
    }
}

/// An optional business phone (REG-10: required when `mandate_business_phone` is on); problems
/// are added to `errors` under `field`.
pub(crate) fn business_phone(raw: &str, field: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<Phone> {
    if raw.trim().is_empty() {
        if required {
            errors.push(FieldError::new(field, "Enter the company phone number"));
        }
        return None;
    }
    Phone::parse(raw).map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok()
}

/// Validates the company fields read through `get` (form field name → value).
/// `phone_required` is the `mandate_business_phone` setting (REG-10).
fn validate_company(get: impl Fn(&str) -> String, phone_required: bool) -> Result<CompanyDetails, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = CompanyName::parse(&get("company_name"))
        .map_err(|e| errors.push(FieldError::new("company_name", e.to_string())))
        .ok();
    let address = validate_postal_address(&get, &mut errors);
    let phone = business_phone(&get("company_phone"), "company_phone", phone_required, &mut errors);
    match (name, address) {
        (Some(name), Some(address)) if errors.is_empty() => Ok(CompanyDetails {
            name,
            address_line1: address.line1,
            address_line2: address.line2,
            city: address.city,
            region: address.region,
            postal_code: address.postal_code,
            country: address.country,
            phone,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn form(pairs: &[(&str, &str)]) -> impl Fn(&str) -> String {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |k: &str| map.get(k).cloned().unwrap_or_default()
    }

    const VALID: &[(&str, &str)] = &[
        ("company_name", "Acme Tools"),
        ("address_line1", "1 Market St"),
        ("city", "San Francisco"),
        ("postal_code", "94105"),
        ("country", "US"),
    ];

    // covers: REG-6
    #[test]
    fn a_complete_company_is_accepted_and_optional_parts_may_be_blank() {
        let company = validate_company(form(VALID), false).unwrap();
        assert_eq!(company.name.as_str(), "Acme Tools");
        assert_eq!(company.country.as_str(), "US");
        assert!(company.address_line2.is_none() && company.region.is_none() && company.phone.is_none());
    }

    // covers: REG-6, REG-14
    #[test]
    fn every_missing_required_field_is_reported_at_once() {
        let errors = validate_company(form(&[]), false).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["company_name", "address_line1", "city", "postal_code", "country"]);
    }

    // covers: REG-10
    #[test]
    fn the_company_phone_is_required_only_when_the_setting_says_so() {
        assert!(validate_company(form(VALID), true).is_err_and(|e| e[0].field == "company_phone"));
        let mut with_phone = VALID.to_vec();
        with_phone.push(("company_phone", "+1 415 555 0100"));
        assert!(validate_company(form(&with_phone), true).is_ok());
    }

    // covers: REG-6
    #[test]
    fn a_country_must_be_an_iso_code() {
        let mut bad = VALID.to_vec();
        bad[4] = ("country", "XX");
        assert!(validate_company(form(&bad), false).is_err_and(|e| e[0].field == "country"));
    }
}
