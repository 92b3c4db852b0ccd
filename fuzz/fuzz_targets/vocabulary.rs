//! The product's vocabulary: every enum the store or a form reads from text (`FromStr`) reads
//! back what it writes (`Display`), and nothing else.
#![no_main]

use std::fmt::Display;
use std::str::FromStr;

use app::domain::address::AddressUsage;
use app::domain::contact_book::PhoneKind;
use app::domain::customer_import::RecordKind;
use app::domain::integration::{ApiScope, IntegrationGroupKind};
use app::domain::{
    ApproverKind, ContactKind, Decision, OrganizationKind, Permission, RecordStatus, RequestKind, RequestStatus,
    UserStatus, UserTypeKind,
};
use libfuzzer_sys::fuzz_target;

fn reads_back<T: FromStr + Display + PartialEq + std::fmt::Debug>(raw: &str) {
    if let Ok(value) = raw.parse::<T>() {
        let written = value.to_string();
        assert_eq!(written, raw, "only the spelling it writes is read");
        assert_eq!(written.parse::<T>().ok(), Some(value));
    }
}

fuzz_target!(|raw: &str| {
    reads_back::<UserStatus>(raw);
    reads_back::<RequestKind>(raw);
    reads_back::<RequestStatus>(raw);
    reads_back::<Decision>(raw);
    reads_back::<RecordStatus>(raw);
    reads_back::<ContactKind>(raw);
    reads_back::<OrganizationKind>(raw);
    reads_back::<UserTypeKind>(raw);
    reads_back::<ApproverKind>(raw);
    reads_back::<Permission>(raw);
    reads_back::<AddressUsage>(raw);
    reads_back::<PhoneKind>(raw);
    reads_back::<ApiScope>(raw);
    reads_back::<IntegrationGroupKind>(raw);
    reads_back::<RecordKind>(raw);
});
