//! Gatehouse: the shared Leptos application (pages, server functions, domain) and, behind the
//! `ssr` feature, the backend (use cases, store, mail).
#![recursion_limit = "256"]

pub mod domain;
