//! Components shared by pages: form fields, alerts, progressively enhanced forms.

pub mod address_fields;
pub mod alert;
pub mod console_nav;
pub mod contact_tabs;
pub mod field;
pub mod form;
pub mod profile_nav;
pub mod refusal;
pub mod row_action;
pub mod scope_switch;

pub use address_fields::{posted_address, AddressFields};
pub use alert::FormAlert;
pub use console_nav::ConsoleNav;
pub use contact_tabs::ContactTabs;
pub use field::{Checkbox, CheckboxGroup, NewPasswordFields, SelectField, TextField};
pub use form::{browser_password_policy, read_form, FormActions, FormState};
pub use profile_nav::ProfileNav;
pub use refusal::refusal;
pub use row_action::RowAction;
pub use scope_switch::ScopeSwitch;
