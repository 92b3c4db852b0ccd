//! Postal addresses (REG-6, PRO-2, PRO-5): the address fields shared by the company
//! registration form, the address book and the company's addresses, validated in one place,
//! and the usages (billing, shipping) an address serves.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use super::field::FieldError;
use super::{CountryCode, PostalCode};

/// What an address is used for (PRO-2); each usage has at most one preferred address per owner.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AddressUsage {
    Billing,
    Shipping,
}

impl AddressUsage {
    pub const ALL: [AddressUsage; 2] = [AddressUsage::Billing, AddressUsage::Shipping];

    /// The checkbox label and the column heading.
    pub fn label(self) -> &'static str {
        match self {
            AddressUsage::Billing => "Billing",
            AddressUsage::Shipping => "Shipping",
        }
    }
}

/// A validated postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: PostalCode,
    pub country: CountryCode,
}

/// An address with the usages it was given (PRO-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressEntry {
    pub address: PostalAddress,
    pub usages: Vec<AddressUsage>,
}

/// The address form as posted (REG-6 field names, plus the usage checkboxes `usages`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressForm {
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    /// One value per checked box (`billing`, `shipping`); none checked posts nothing.
    #[serde(deserialize_with = "super::approval::one_or_many")]
    pub usages: Vec<String>,
}

impl AddressForm {
    /// Every field at once (REG-14); an unknown usage value is refused on `usages`.
    pub fn validate(&self) -> Result<AddressEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let get = |name: &str| {
            match name {
                "address_line1" => &self.address_line1,
                "address_line2" => &self.address_line2,
                "city" => &self.city,
                "region" => &self.region,
                "postal_code" => &self.postal_code,
                "country" => &self.country,
                _ => "",
            }
            .to_owned()
        };
        let address = validate_postal_address(get, &mut errors);
        let mut usages = Vec::new();
        for raw in &self.usages {
            match raw.parse::<AddressUsage>() {
                Ok(usage) if !usages.contains(&usage) => usages.push(usage),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new("usages", "Choose billing, shipping or both")),
            }
        }
        match address {
            Some(address) if errors.is_empty() => Ok(AddressEntry { address, usages }),
            _ => Err(errors),
        }
    }

    /// The form filled with a stored address, for editing.
    pub fn of(address: &PostalAddress, usages: &[AddressUsage]) -> AddressForm {
        AddressForm {
            address_line1: address.line1.clone(),
            address_line2: address.line2.clone().unwrap_or_default(),
            city: address.city.clone(),
            region: address.region.clone().unwrap_or_default(),
            postal_code: address.postal_code.as_str().to_owned(),
            country: address.country.as_str().to_owned(),
            usages: usages.iter().map(|u| u.to_string()).collect(),
        }
    }
}

const MAX_ADDRESS_PART: usize = 200;

/// A free-text address part: trimmed, no control characters or angle brackets, at most 200
/// characters. Blank is an error only when `empty_message` says what to enter.
fn address_part(raw: &str, field: &str, empty_message: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() {
        if let Some(message) = empty_message {
            errors.push(FieldError::new(field, message));
        }
        return None;
    }
    if value.chars().count() > MAX_ADDRESS_PART || value.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        errors.push(FieldError::new(field, "Enter at most 200 letters, digits and punctuation"));
        return None;
    }
    Some(value.to_owned())
}

/// The REG-6 address fields read through `get` (form field name → value); problems are added
/// to `errors` in form order and `None` is answered when there is any.
pub(crate) fn validate_postal_address(
    get: impl Fn(&str) -> String,
    errors: &mut Vec<FieldError>,
) -> Option<PostalAddress> {
    let line1 =
        address_part(&get("address_line1"), "address_line1", Some("Enter the first line of the address"), errors);
    let line2 = address_part(&get("address_line2"), "address_line2", None, errors);
    let city = address_part(&get("city"), "city", Some("Enter the city"), errors);
    let region = address_part(&get("region"), "region", None, errors);
    let postal_code = PostalCode::parse(&get("postal_code"))
        .map_err(|e| errors.push(FieldError::new("postal_code", e.to_string())))
        .ok();
    let country =
        CountryCode::parse(&get("country")).map_err(|e| errors.push(FieldError::new("country", e.to_string()))).ok();
    let bad_optional = |raw: String, parsed: &Option<String>| !raw.trim().is_empty() && parsed.is_none();
    if bad_optional(get("address_line2"), &line2) || bad_optional(get("region"), &region) {
        return None;
    }
    Some(PostalAddress { line1: line1?, line2, city: city?, region, postal_code: postal_code?, country: country? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn filled() -> AddressForm {
        AddressForm {
            address_line1: " 1 Market St ".into(),
            city: "San Francisco".into(),
            postal_code: "94105".into(),
            country: "US".into(),
            usages: vec!["billing".into(), "shipping".into(), "billing".into()],
            ..Default::default()
        }
    }

    // covers: PRO-2, REG-6
    #[test]
    fn an_address_with_its_usages_is_accepted_once_each() {
        let entry = filled().validate().unwrap();
        assert_eq!(entry.address.line1, "1 Market St");
        assert_eq!(entry.usages, vec![AddressUsage::Billing, AddressUsage::Shipping]);
        assert!(entry.address.line2.is_none() && entry.address.region.is_none());
        let none = AddressForm { usages: vec![], ..filled() }.validate().unwrap();
        assert!(none.usages.is_empty(), "an address may have no usage yet");
    }

    // covers: PRO-2, REG-14
    #[test]
    fn every_problem_is_reported_at_once_next_to_its_field() {
        let errors = AddressForm { usages: vec!["gift".into()], ..Default::default() }.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address_line1", "city", "postal_code", "country", "usages"]);
        let bad_region = AddressForm { region: "<b>".into(), ..filled() }.validate().unwrap_err();
        assert!(message_for(&bad_region, "region").is_some());
    }

    // covers: PRO-2
    #[test]
    fn a_plain_post_reads_repeated_usage_checkboxes() {
        let form: AddressForm = serde_html_form::from_str(
            "address_line1=1+Main&city=X&postal_code=12345&country=US&usages=billing&usages=shipping",
        )
        .unwrap();
        assert_eq!(form.usages, ["billing", "shipping"]);
        let form: AddressForm = serde_html_form::from_str("address_line1=1+Main&usages=shipping").unwrap();
        assert_eq!(form.usages, ["shipping"]);
        let stored = filled().validate().unwrap();
        assert_eq!(AddressForm::of(&stored.address, &stored.usages).validate().unwrap(), stored);
    }
}
