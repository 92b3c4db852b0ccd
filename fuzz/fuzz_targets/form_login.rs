//! ADM-3: Register this contact as a user.
//! `LoginForm` from any form post, then its `validate()`.
#![no_main]

use app::domain::admin_contact::{LoginForm, LoginRules};
use gatehouse_fuzz::{form, refused_on_fields, COMMON};
use libfuzzer_sys::fuzz_target;

const FIELDS: &[&str] =
    &["user_type", "username", "password_method", "temporary_password", "account_id", "start_date", "end_date"];

fuzz_target!(|data: &[u8]| {
    let Some((form, rules)) = form::<LoginForm>(data, FIELDS) else { return };
    let login = LoginRules { policy: &rules.policy, common: &COMMON, first_name: "Lee", last_name: "Chen" };
    refused_on_fields(&form.validate(&login), FIELDS);
});
