//! `gatehouse`: serves the portal (SPEC OPS-1 … OPS-5).
#![recursion_limit = "512"]

use server::{telemetry, Application, Config};

/// mimalloc, not glibc's malloc: see its line in Cargo.toml (issue 11's profile).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::from_env()?;
    let application = Application::build(config).await?;
    application.run_until_stopped().await
}
