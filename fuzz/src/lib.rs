//! What the fuzz targets share: reading a form struct from fuzz input the way the portal receives
//! one, and the settings its `validate()` is called with, drawn from the same input.

use app::domain::{
    CommonPasswords, FieldError, PasswordContext, PasswordPolicy, Permission, PermissionSet, UserTypeKind,
};
use arbitrary::Unstructured;
use serde::de::DeserializeOwned;
use strum::IntoEnumIterator;

/// Bytes at the start of every form target's input that set up the call; the form follows.
pub const HEADER: usize = 5;

/// Everything besides the form that a `validate()` takes, drawn from the header:
///
/// | byte | meaning |
/// | --- | --- |
/// | 0 | bit 0: field/value pairs follow (else a form post body); bit 1: `hard_to_guess`; bits 2, 3: `flags` |
/// | 1 | `password_min_length` |
/// | 2, 3 | one bit per [`Permission`], in declaration order |
/// | 4 | the user type kind whose flow a registration form follows |
#[derive(Debug)]
pub struct Rules {
    pub policy: PasswordPolicy,
    /// The booleans a form is validated with (`phone_required`, `has_login`, `creating`…).
    pub flags: [bool; 2],
    pub permissions: PermissionSet,
    pub kind: UserTypeKind,
}

impl Rules {
    fn read(header: [u8; HEADER]) -> Rules {
        let bits = u16::from_le_bytes([header[2], header[3]]);
        let kinds: Vec<UserTypeKind> = UserTypeKind::iter().collect();
        Rules {
            policy: PasswordPolicy { min_length: usize::from(header[1]), hard_to_guess: header[0] & 2 != 0 },
            flags: [header[0] & 4 != 0, header[0] & 8 != 0],
            permissions: Permission::iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, p)| p).collect(),
            kind: kinds[usize::from(header[4]) % kinds.len()],
        }
    }

    /// Whose password is being set: a password must not contain their username or names.
    pub fn person(&self) -> PasswordContext<'static> {
        PasswordContext { username: "lee.chen", first_name: "Lee", last_name: "Chen" }
    }
}

/// A few common passwords, standing in for the bundled list the server injects.
pub struct SmallList;

pub const COMMON: SmallList = SmallList;

impl CommonPasswords for SmallList {
    fn contains(&self, candidate: &str) -> bool {
        ["password1234", "123456789012", "qwertyuiopas", "correct horse battery staple"].contains(&candidate)
    }
}

/// Reads a form struct from fuzz input, after the [`HEADER`], in one of two ways:
///
/// - the rest is the body of a plain form post, read with `serde_html_form::from_bytes` as the
///   server reads one (`server/src/forms.rs`);
/// - the rest draws field/value pairs (names mostly from `fields`, values arbitrary), which are
///   encoded and read back, as the server does with the posted pairs. This reaches any text in
///   any field, which random bytes in a urlencoded body seldom spell.
///
/// A body that is not a form is refused by the server before any `validate()`; so it is here.
pub fn form<F: DeserializeOwned>(data: &[u8], fields: &[&str]) -> Option<(F, Rules)> {
    let mut header = [0u8; HEADER];
    let split = data.len().min(HEADER);
    header[..split].copy_from_slice(&data[..split]);
    let rules = Rules::read(header);
    let rest = &data[split..];
    let form = if header[0] & 1 == 0 { serde_html_form::from_bytes(rest).ok()? } else { from_pairs(rest, fields)? };
    Some((form, rules))
}

fn from_pairs<F: DeserializeOwned>(rest: &[u8], fields: &[&str]) -> Option<F> {
    let mut u = Unstructured::new(rest);
    let mut pairs: Vec<(String, String)> = Vec::new();
    while !u.is_empty() && pairs.len() < 64 {
        let name = if fields.is_empty() || u.ratio(1u8, 16u8).ok()? {
            u.arbitrary::<String>().ok()?
        } else {
            (*u.choose(fields).ok()?).to_owned()
        };
        pairs.push((name, u.arbitrary().ok()?));
    }
    let encoded = serde_html_form::to_string(&pairs).ok()?;
    serde_html_form::from_str(&encoded).ok()
}

/// REG-14: a refused form says why, and every problem is keyed by one of the form's own fields,
/// so the page can show it next to that input.
pub fn refused_on_fields<T>(result: &Result<T, Vec<FieldError>>, fields: &[&str]) {
    if let Err(errors) = result {
        assert!(!errors.is_empty(), "a form refused without a reason");
        for error in errors {
            assert!(
                fields.contains(&error.field.as_str()),
                "an error on {:?}, which the form does not have",
                error.field
            );
        }
    }
}
