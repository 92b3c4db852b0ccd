//! The Gatehouse server: configuration, startup (router and layers), middleware, background
//! jobs and telemetry.

#![recursion_limit = "512"]
pub mod api;
pub mod assets;
pub mod background;
pub mod config;
pub mod context;
pub mod forms;
pub mod health;
pub mod import_upload;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod session_store;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
