//! CON-2: every setting SPEC names, as data — its key, label, group, type, range and default —
//! and the validation of the console's settings form. `backend::settings::Settings` reads the
//! same keys; a test there checks that these defaults are its defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::field::FieldError;

/// What a setting holds, and so how it is edited and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// A checkbox: stored as `1` or `0`.
    Flag,
    /// A whole number within the range.
    Number { min: i64, max: i64 },
    /// One line of text, required, at most `max` characters.
    Text { max: usize },
    /// A web address (`http://` or `https://`); empty means the server's configured address.
    Url,
    /// The universal approver (APR-2): one of the active merchant admins, or none.
    Approver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub hint: &'static str,
    pub kind: SettingKind,
    /// The value in force while the setting is not stored, as stored.
    pub default: &'static str,
}

const PASSWORDS: &str = "Passwords";
const REGISTRATION: &str = "Registration and approval";
const COMPANIES: &str = "Companies";
const SIGN_IN: &str = "Sessions and sign-in";
const MAIL: &str = "Notifications";

pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "password_min_length",
        label: "Minimum password length",
        group: PASSWORDS,
        hint: "REG-9.",
        kind: SettingKind::Number { min: 8, max: 128 },
        default: "12",
    },
    SettingSpec {
        key: "password_hard_to_guess",
        label: "Passwords must be hard to guess",
        group: PASSWORDS,
        hint: "Refuse common passwords and passwords built from the user's name or username (REG-9).",
        kind: SettingKind::Flag,
        default: "1",
    },
    SettingSpec {
        key: "mandate_business_phone",
        label: "Business phone required",
        group: REGISTRATION,
        hint: "The company phone is required when registering a company (REG-10).",
        kind: SettingKind::Flag,
        default: "0",
    },
    SettingSpec {
        key: "universal_approver",
        label: "Universal approver",
        group: REGISTRATION,
        hint: "The merchant admin who decides the steps routed to the universal approver (APR-2).",
        kind: SettingKind::Approver,
        default: "",
    },
    SettingSpec {
        key: "approval_timeout_minutes",
        label: "Approval timeout (minutes)",
        group: REGISTRATION,
        hint: "A step waiting longer sends a reminder and moves on; 0 means never (APR-7).",
        kind: SettingKind::Number { min: 0, max: 525_600 },
        default: "0",
    },
    SettingSpec {
        key: "auto_create_account",
        label: "Open an account on approval",
        group: REGISTRATION,
        hint: "Open an account for a company that has none when its registration is approved (APR-5).",
        kind: SettingKind::Flag,
        default: "1",
    },
    SettingSpec {
        key: "inactivate_customer_data_on_rejection",
        label: "Inactivate customer data on rejection",
        group: REGISTRATION,
        hint: "When off, only the username is released when a registration is rejected (REJ-3).",
        kind: SettingKind::Flag,
        default: "1",
    },
    SettingSpec {
        key: "primary_users_manage_users",
        label: "Primary users manage users",
        group: COMPANIES,
        hint: "Primary users may create users and change their logins (ADM-8).",
        kind: SettingKind::Flag,
        default: "1",
    },
    SettingSpec {
        key: "multi_customer_access",
        label: "Multi-customer access",
        group: COMPANIES,
        hint: "A contact related to several organizations chooses one for the session (PRO-7).",
        kind: SettingKind::Flag,
        default: "0",
    },
    SettingSpec {
        key: "session_idle_minutes",
        label: "Session idle timeout (minutes)",
        group: SIGN_IN,
        hint: "SEC-2.",
        kind: SettingKind::Number { min: 1, max: 1440 },
        default: "30",
    },
    SettingSpec {
        key: "session_absolute_hours",
        label: "Session absolute timeout (hours)",
        group: SIGN_IN,
        hint: "SEC-2.",
        kind: SettingKind::Number { min: 1, max: 168 },
        default: "12",
    },
    SettingSpec {
        key: "sign_in_delay_after_failures",
        label: "Failed sign-ins before delays",
        group: SIGN_IN,
        hint: "SEC-4.",
        kind: SettingKind::Number { min: 1, max: 100 },
        default: "5",
    },
    SettingSpec {
        key: "sign_in_lock_after_failures",
        label: "Failed sign-ins before a lock",
        group: SIGN_IN,
        hint: "SEC-4.",
        kind: SettingKind::Number { min: 1, max: 1000 },
        default: "20",
    },
    SettingSpec {
        key: "sign_in_lock_minutes",
        label: "Lock duration (minutes)",
        group: SIGN_IN,
        hint: "SEC-4.",
        kind: SettingKind::Number { min: 1, max: 1440 },
        default: "15",
    },
    SettingSpec {
        key: "merchant_name",
        label: "Merchant name",
        group: MAIL,
        hint: "Shown in e-mails (NOT-2).",
        kind: SettingKind::Text { max: 100 },
        default: "Gatehouse Store",
    },
    SettingSpec {
        key: "sender_address",
        label: "Sender address",
        group: MAIL,
        hint: "The From of every e-mail, e.g. Store <no-reply@store.example> (NOT-2).",
        kind: SettingKind::Text { max: 200 },
        default: "Gatehouse Store <no-reply@gatehouse.example>",
    },
    SettingSpec {
        key: "support_contact",
        label: "Support contact",
        group: MAIL,
        hint: "Where e-mails send people with questions (NOT-2).",
        kind: SettingKind::Text { max: 200 },
        default: "support@gatehouse.example",
    },
    SettingSpec {
        key: "public_base_url",
        label: "Public base URL",
        group: MAIL,
        hint: "The address links in e-mails start with; empty uses the server's configured address (NOT-2).",
        kind: SettingKind::Url,
        default: "",
    },
];

/// The groups of [`SETTINGS`], in order.
pub fn setting_groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for s in SETTINGS {
        if !groups.contains(&s.group) {
            groups.push(s.group);
        }
    }
    groups
}

/// The form as posted: one field per setting, named by its key. An unchecked checkbox posts
/// nothing, so a missing flag is off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    #[serde(flatten)]
    pub values: BTreeMap<String, String>,
}

impl SettingsForm {
    /// Every setting as it is to be stored, or every problem at once (REG-14). Posted keys that
    /// are no setting are ignored. The approver's id is checked by the use case.
    pub fn validate(&self) -> Result<Vec<(&'static str, String)>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for spec in SETTINGS {
            let raw = self.values.get(spec.key).map(|v| v.trim()).unwrap_or("");
            let value = match spec.kind {
                SettingKind::Flag => {
                    if matches!(raw.to_ascii_lowercase().as_str(), "on" | "1" | "true" | "yes") { "1" } else { "0" }
                        .to_owned()
                }
                SettingKind::Number { min, max } => match raw.parse::<i64>() {
                    Ok(n) if (min..=max).contains(&n) => n.to_string(),
                    _ => {
                        errors.push(FieldError::new(spec.key, format!("Enter a whole number from {min} to {max}")));
                        continue;
                    }
                },
                SettingKind::Text { max } => {
                    if raw.is_empty() {
                        errors.push(FieldError::new(spec.key, format!("Enter the {}", spec.label.to_lowercase())));
                        continue;
                    }
                    if raw.chars().count() > max || raw.chars().any(char::is_control) {
                        errors.push(FieldError::new(spec.key, format!("Use one line of at most {max} characters")));
                        continue;
                    }
                    raw.to_owned()
                }
                SettingKind::Url => {
                    let ok = raw.is_empty()
                        || ((raw.starts_with("https://") || raw.starts_with("http://"))
                            && raw.len() <= 200
                            && !raw.chars().any(|c| c.is_whitespace() || c.is_control()));
                    if !ok {
                        errors.push(FieldError::new(spec.key, "Enter an address starting with https:// or http://"));
                        continue;
                    }
                    raw.trim_end_matches('/').to_owned()
                }
                SettingKind::Approver => raw.to_owned(),
            };
            out.push((spec.key, value));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn defaults() -> SettingsForm {
        SettingsForm {
            values: SETTINGS
                .iter()
                .filter(|s| s.kind != SettingKind::Flag || s.default == "1")
                .map(|s| (s.key.to_owned(), if s.kind == SettingKind::Flag { "on".into() } else { s.default.into() }))
                .collect(),
        }
    }

    // covers: CON-2
    #[test]
    fn the_defaults_validate_to_themselves() {
        let stored = defaults().validate().unwrap();
        assert_eq!(stored.len(), SETTINGS.len());
        for ((key, value), spec) in stored.iter().zip(SETTINGS) {
            assert_eq!((*key, value.as_str()), (spec.key, spec.default));
        }
    }

    // covers: CON-2, REG-14
    #[test]
    fn out_of_range_numbers_and_empty_texts_are_refused_on_their_fields() {
        let mut form = defaults();
        form.values.insert("password_min_length".into(), "4".into());
        form.values.insert("session_idle_minutes".into(), "ten".into());
        form.values.insert("merchant_name".into(), " ".into());
        form.values.insert("public_base_url".into(), "ftp://x".into());
        let errors = form.validate().unwrap_err();
        assert_eq!(message_for(&errors, "password_min_length"), Some("Enter a whole number from 8 to 128"));
        assert!(message_for(&errors, "session_idle_minutes").is_some());
        assert_eq!(message_for(&errors, "merchant_name"), Some("Enter the merchant name"));
        assert!(message_for(&errors, "public_base_url").is_some());
        assert_eq!(errors.len(), 4);
    }

    // covers: CON-2
    #[test]
    fn a_plain_post_reads_checkboxes_and_ignores_unknown_keys() {
        let form: SettingsForm =
            serde_html_form::from_str("multi_customer_access=on&password_min_length=14&ref=%2Fx&sneaky=1").unwrap();
        assert_eq!(form.values.get("multi_customer_access").map(String::as_str), Some("on"));
        let mut full = defaults();
        full.values.extend(form.values);
        full.values.remove("password_hard_to_guess");
        let stored: BTreeMap<_, _> = full.validate().unwrap().into_iter().collect();
        assert_eq!(stored["multi_customer_access"], "1");
        assert_eq!(stored["password_hard_to_guess"], "0");
        assert_eq!(stored["password_min_length"], "14");
        assert!(!stored.contains_key("sneaky"));
    }
}
