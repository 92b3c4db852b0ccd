//! The Gatehouse server: configuration, startup (router and layers), middleware, background
//! jobs and telemetry.

pub mod jobs;
