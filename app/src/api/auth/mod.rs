//! Sign-in, sign-out and the session user (LOG).

pub mod current_user;
pub mod sign_in;
