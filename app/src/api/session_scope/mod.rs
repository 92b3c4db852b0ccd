//! The session's account and customer (PRO-3, PRO-7): the Accounts page and the header's
//! switches.

pub mod accounts;
pub mod switch;
