//! Prometheus metrics (issue 11), through the `metrics` facade and its Prometheus exporter.
//! They are served on a listener of their own (`GATEHOUSE_METRICS_ADDR`, e.g. `127.0.0.1:9464`),
//! never on the public one; without that setting no recorder is installed and every
//! `metrics::…!` call is a no-op.
//!
//! - `gatehouse_http_requests_total{method, route, status}` and
//!   `gatehouse_http_request_duration_seconds{method, route}` (histogram), per route pattern
//!   (`/admin/contacts/{id}`, never the IDs a path carries);
//! - `gatehouse_argon2_queue_depth` (requests waiting for a hashing permit) and
//!   `gatehouse_argon2_in_use` (hashes running);
//! - `gatehouse_outbox_backlog` (queued messages) and `gatehouse_outbox_oldest_age_seconds`;
//! - `gatehouse_job_runs_total{job, outcome}`.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use app::backend::store::outbox;
use app::backend::AppState;

const REQUEST_SECONDS: &str = "gatehouse_http_request_duration_seconds";

/// Latency buckets: the targets are about milliseconds (p99 < 20 ms), sign-ins about tens.
const BUCKETS: &[f64] = &[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's one recorder (a global: several test servers in one process share it).
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), BUCKETS)
                .expect("the buckets are not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder already installed (none is, outside tests) keeps its place.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Counts and times every request under its route pattern. A request no route matched counts
/// as `unmatched` (a scan of random paths must not make one series per path). Server functions
/// share one pattern, so their path (a fixed set of names) is their route.
pub async fn track(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(_) if path.starts_with("/rpc/") => Some(path.to_owned()),
        Some(pattern) => Some(pattern.as_str().to_owned()),
        None => None,
    };
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    // The fallback serves the site's files (and answers 404 to anything else).
    let route = route.unwrap_or_else(|| {
        if response.status() == StatusCode::NOT_FOUND { "unmatched" } else { "static files" }.to_owned()
    });
    let status = response.status().as_u16().to_string();
    metrics::counter!("gatehouse_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS, "method" => method, "route" => route).record(seconds);
    response
}

/// One run of a background job: `outcome` is `ok` or `failed`.
pub fn job_ran(job: &'static str, ok: bool) {
    metrics::counter!("gatehouse_job_runs_total", "job" => job, "outcome" => if ok { "ok" } else { "failed" })
        .increment(1);
}

/// Reads the gauges that live in the database or the hasher, then renders every metric.
async fn render(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    metrics::gauge!("gatehouse_argon2_queue_depth").set(state.hasher.queue_depth() as f64);
    metrics::gauge!("gatehouse_argon2_in_use").set(state.hasher.in_use() as f64);
    if let Ok(mut conn) = state.db.pool().acquire().await {
        match outbox::backlog(&mut conn).await {
            Ok(backlog) => {
                metrics::gauge!("gatehouse_outbox_backlog").set(backlog.queued as f64);
                let age_ms = backlog.oldest_created_at.map_or(0, |created| (state.now_ms() - created).max(0));
                metrics::gauge!("gatehouse_outbox_oldest_age_seconds").set(age_ms as f64 / 1000.0);
            }
            Err(e) => tracing::warn!(error = %e, "outbox backlog not read for the metrics"),
        }
    }
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

/// The metrics listener's router: `GET /metrics` only.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(render)).with_state((state, recorder()))
}

/// Binds the metrics listener (before the public one answers, so a bad address stops start-up).
pub async fn bind(address: SocketAddr) -> anyhow::Result<TcpListener> {
    use anyhow::Context as _;
    TcpListener::bind(address).await.with_context(|| format!("could not listen for metrics on {address}"))
}
