//! The postal address fields (REG-6 names and labels), shared by the company registration
//! form, the address book (PRO-2) and the company's addresses (PRO-5).

use leptos::prelude::*;

use super::field::{SelectField, TextField};
use super::form::FormState;
use crate::domain::{AddressForm, COUNTRIES};

/// Address line 1*, Address line 2, City*, State/Province, Postal code*, Country* (ISO
/// 3166 alpha-2 option values), filled with `values`.
#[component]
pub fn AddressFields(state: FormState, values: AddressForm) -> impl IntoView {
    let countries: Vec<(String, String)> = std::iter::once((String::new(), "Choose a country".to_owned()))
        .chain(COUNTRIES.iter().map(|(code, name)| ((*code).to_owned(), (*name).to_owned())))
        .collect();
    view! {
        <TextField state label="Address line 1" name="address_line1" required=true autocomplete="address-line1" value=values.address_line1 />
        <TextField state label="Address line 2" name="address_line2" autocomplete="address-line2" value=values.address_line2 />
        <TextField state label="City" name="city" required=true autocomplete="address-level2" value=values.city />
        <TextField state label="State/Province" name="region" autocomplete="address-level1" value=values.region />
        <TextField state label="Postal code" name="postal_code" required=true autocomplete="postal-code" value=values.postal_code />
        <SelectField state label="Country" name="country" required=true autocomplete="country" options=countries selected=values.country />
    }
    // Type-erased, like NewPasswordFields: nested in a page's form the view type gets deep.
    .into_any()
}

/// The address fields as a failed plain post left them (REG-14: values kept).
pub fn posted_address(state: &FormState) -> AddressForm {
    AddressForm {
        address_line1: state.value("address_line1"),
        address_line2: state.value("address_line2"),
        city: state.value("city"),
        region: state.value("region"),
        postal_code: state.value("postal_code"),
        country: state.value("country"),
        usages: Vec::new(),
    }
}
