//! Pages (one module per page or flow) and the components they share.

pub mod components;
pub mod page_scripts;
pub mod pages;
pub mod session;
