//! APR-7: once a minute, reminds approvers of requests that waited too long and moves them on.
//! Safe with several instances: the service leases each request before touching it.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use app::backend::services::approvals::reroute_timed_out;
use app::backend::AppState;

pub fn spawn(state: AppState, mut stopped: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            let outcome = reroute_timed_out(&state).await;
            crate::metrics::job_ran("approval_timeouts", outcome.is_ok());
            match outcome {
                Ok(0) => {}
                Ok(n) => tracing::info!(moved = n, "timed-out approval steps rerouted"),
                Err(e) => tracing::warn!(error = %e, "approval timeout job failed"),
            }
        }
    })
}
