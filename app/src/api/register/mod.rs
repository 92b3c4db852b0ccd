//! Registration server functions (REG).

pub mod confirm;
pub mod confirmation;
pub mod form_info;
pub mod listing;
pub mod submit;
