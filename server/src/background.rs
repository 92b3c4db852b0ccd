//! Starts the background jobs of one server instance: the outbox dispatcher (NOT-3), login help
//! (LOG-4), scheduled disables (CON-3), expired session clean-up, and the rate-limit memory
//! trim. Jobs claim work with leases or touch only expired rows, so several instances can run
//! them at once (OPS-3).

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use app::backend::store::{login_help, sessions};
use app::backend::AppState;

use crate::config::Config;
use crate::jobs::outbox::{Dispatcher, MailTransport};
use crate::middleware::rate_limit::Limits;

pub fn spawn_all(
    state: &AppState,
    config: &Config,
    stopped: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let transport = MailTransport::from_config(config.smtp_url.as_deref(), &config.mail_dir)?;
    tracing::info!(transport = %transport.describe(), "mail dispatcher starting");
    let dispatcher = Dispatcher::new(state.db.clone(), transport, state.clock.clone());
    Ok(vec![
        dispatcher.spawn(stopped.clone()),
        crate::jobs::approval_timeouts::spawn(state.clone(), stopped.clone()),
        crate::jobs::login_help::spawn(state.clone(), stopped.clone()),
        crate::jobs::user_disables::spawn(state.clone(), stopped.clone()),
        spawn_session_cleanup(state.clone(), stopped),
    ])
}

/// Every five minutes: expired sessions (SEC-2) and expired set-password links (LOG-4).
fn spawn_session_cleanup(state: AppState, mut stopped: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            let Ok(mut conn) = state.db.pool().acquire().await else {
                crate::metrics::job_ran("session_cleanup", false);
                continue;
            };
            let sessions = sessions::delete_expired(&mut conn, state.now_ms(), 1_000).await;
            match &sessions {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired sessions removed"),
                Err(e) => tracing::warn!(error = %e, "expired session clean-up failed"),
            }
            let links = login_help::delete_expired_tokens(&mut conn, state.now_ms(), 1_000).await;
            match &links {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired set-password links removed"),
                Err(e) => tracing::warn!(error = %e, "expired link clean-up failed"),
            }
            crate::metrics::job_ran("session_cleanup", sessions.is_ok() && links.is_ok());
        }
    })
}

pub fn spawn_limit_shrinker(limits: Limits) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limits.shrink();
        }
    });
}
