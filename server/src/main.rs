//! `gatehouse`: serves the portal (SPEC OPS-1 … OPS-5).
#![recursion_limit = "512"]

use server::{telemetry, Application, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::from_env()?;
    let application = Application::build(config).await?;
    application.run_until_stopped().await
}
