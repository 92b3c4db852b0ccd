//! REG-9: `Password::parse` with any policy, context and text, and the confirmation check.
#![no_main]

use app::domain::{confirm_matches, Password, PasswordContext, PasswordPolicy};
use gatehouse_fuzz::COMMON;
use libfuzzer_sys::{arbitrary, fuzz_target};

#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    password: String,
    confirm: String,
    min_length: u8,
    hard_to_guess: bool,
    username: String,
    first_name: String,
    last_name: String,
}

fuzz_target!(|input: Input| {
    let policy = PasswordPolicy { min_length: usize::from(input.min_length), hard_to_guess: input.hard_to_guess };
    let ctx = PasswordContext { username: &input.username, first_name: &input.first_name, last_name: &input.last_name };
    if let Ok(password) = Password::parse(input.password.clone(), &policy, &ctx, &COMMON) {
        let length = password.expose_secret().chars().count();
        assert!(length >= policy.min_length && length <= Password::MAX_LENGTH);
        assert_eq!(password.expose_secret(), input.password);
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
    assert_eq!(confirm_matches(&input.password, &input.confirm).is_ok(), input.password == input.confirm);
});
