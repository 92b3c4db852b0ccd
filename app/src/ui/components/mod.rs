//! Components shared by pages: form fields, alerts, progressively enhanced forms.

pub mod alert;
pub mod field;
pub mod form;

pub use alert::FormAlert;
pub use field::{Checkbox, NewPasswordFields, SelectField, TextField};
pub use form::{browser_password_policy, read_form, FormState};
