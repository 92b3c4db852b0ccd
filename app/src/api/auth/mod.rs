//! Sign-in, sign-out and the session user (LOG).

pub mod change_password;
pub mod current_user;
pub mod sign_in;
