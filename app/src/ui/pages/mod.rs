//! One module per page or flow.

pub mod accounts;
pub mod admin;
pub mod approvals;
pub mod company;
pub mod console;
pub mod forgot;
pub mod home;
pub mod login;
pub mod not_found;
pub mod password_change;
pub mod password_reset;
pub mod pending;
pub mod profile;
pub mod register_complete;
pub mod register_confirm;
pub mod register_form;
pub mod register_list;
