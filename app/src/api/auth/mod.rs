//! Sign-in, sign-out and the session user (LOG).

pub mod change_password;
pub mod current_user;
pub mod forgot;
pub mod reset_password;
pub mod sign_in;
