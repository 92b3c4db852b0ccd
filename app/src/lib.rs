//! Gatehouse: the shared Leptos application (pages, server functions, domain) and, behind the
//! `ssr` feature, the backend (use cases, store, mail).
#![recursion_limit = "512"]

pub mod api;
pub mod app;
#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod domain;
/// Test support (feature `testing`): databases, fixtures and the adapters as tests drive them.
#[cfg(all(feature = "ssr", any(test, feature = "testing")))]
pub mod testing;
pub mod ui;

pub use app::{shell, App};
