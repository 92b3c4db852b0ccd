//! REG-5, REG-6, REG-7, OAA-1, OAA-2, PAR-2: the registration form of every user type.
//! `RegistrationForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::{RegistrationForm, RegistrationRules};
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] = &[
    "registry_id",
    "company_name",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "company_phone",
    "first_name",
    "last_name",
    "email",
    "phone",
    "username",
    "password",
    "password_confirm",
    "marketing_opt_in",
    "account_number",
    "order_number",
    "order_date",
];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<RegistrationForm>(data, FIELDS) else { return };
    let registration =
        RegistrationRules { flow: rules.kind.flow(), policy: rules.policy, mandate_business_phone: rules.flags[0] };
    refused_on_fields(&form.validate(&registration, &COMMON), FIELDS);
    refused_on_fields(&form.validate_confirmation(&registration), FIELDS);
    let shown = form.without_secrets();
    assert!(shown.person.password.is_empty() && shown.person.password_confirm.is_empty());
});
