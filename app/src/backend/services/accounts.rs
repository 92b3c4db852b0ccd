//! Opening accounts (REG-4, APR-5). Temporary on this branch: the lead moves `open_account` and
//! `open_individual_account` here from `services/registration`; until then they are re-exported.

pub(crate) use super::registration::{open_account, open_individual_account};
