//! CON-3: once a minute, applies every Disable whose Effective date has come (the user becomes
//! inactive and their sessions end). Safe with several instances: the use case deletes each
//! schedule in the transaction that applies it, so only one instance applies it.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use app::backend::services::console::users::apply_due_disables;
use app::backend::AppState;

pub fn spawn(state: AppState, mut stopped: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            let outcome = apply_due_disables(&state).await;
            crate::metrics::job_ran("user_disables", outcome.is_ok());
            match outcome {
                Ok(0) => {}
                Ok(n) => tracing::info!(disabled = n, "scheduled disables applied"),
                Err(e) => tracing::warn!(error = %e, "scheduled disable job failed"),
            }
        }
    })
}
