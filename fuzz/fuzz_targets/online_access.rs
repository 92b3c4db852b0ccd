//! OAA-1, OAA-2: the proof fields of the online-access forms and how they are compared.
#![no_main]

use app::domain::online_access::{phones_match, postal_code_key, RecordNumber};
use app::domain::OnlineAccessFields;
use libfuzzer_sys::{arbitrary, fuzz_target};

#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    account_number: String,
    order_number: String,
    order_date: String,
    postal_code: String,
    phone: String,
    stored_phone: String,
    business: bool,
}

fuzz_target!(|input: Input| {
    if let Ok(number) = RecordNumber::parse(&input.account_number, "account number") {
        assert!(!number.as_str().is_empty());
    }
    let fields = OnlineAccessFields {
        account_number: input.account_number,
        order_number: input.order_number,
        order_date: input.order_date,
    };
    let mut errors = Vec::new();
    let proof = fields.validate(input.business, &input.postal_code, &input.phone, &mut errors);
    if proof.is_some() {
        assert!(errors.is_empty());
    }
    assert!(postal_code_key(&input.postal_code).chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(phones_match(&input.phone, &input.stored_phone), phones_match(&input.stored_phone, &input.phone));
});
