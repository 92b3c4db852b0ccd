//! LOG-4: every second, handles the queued forgot-login requests (lookup, links, e-mail), off
//! the response path. Safe with several instances: the service leases each request first.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use app::backend::services::login_help::send_login_help;
use app::backend::AppState;

pub fn spawn(state: AppState, mut stopped: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            let outcome = send_login_help(&state).await;
            crate::metrics::job_ran("login_help", outcome.is_ok());
            match outcome {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "login help e-mails queued"),
                Err(e) => tracing::warn!(error = %e, "login help job failed"),
            }
        }
    })
}
