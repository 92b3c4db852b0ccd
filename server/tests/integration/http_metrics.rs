//! Prometheus metrics (issue 11): on their own listener when `GATEHOUSE_METRICS_ADDR` is set,
//! never on the public one.

use reqwest::StatusCode;

use crate::common::*;

// covers: OPS-4
#[tokio::test]
async fn metrics_are_served_on_their_own_listener_with_routes_hasher_and_outbox() {
    for db in app::testing::test_databases().await {
        let app = spawn_app_with(db, |config| config.metrics_addr = Some("127.0.0.1:0".parse().unwrap())).await;
        let port = app.metrics_port.expect("a metrics listener");
        app.registered_elsewhere("metered.user").await;
        assert_eq!(app.get("/register").await.status(), StatusCode::OK);
        app.get("/admin/contacts/not-a-contact").await;

        let metrics = app.client.get(format!("http://127.0.0.1:{port}/metrics")).send().await.unwrap();
        assert_eq!(metrics.status(), StatusCode::OK, "[{}]", app.label);
        let text = metrics.text().await.unwrap();
        for expected in [
            r#"gatehouse_http_requests_total{method="GET",route="/register",status="200"}"#,
            // Route patterns, not the IDs in paths.
            r#"route="/admin/contacts/{id}""#,
            r#"gatehouse_http_requests_total{method="POST",route="/register/{type_key}",status="303"}"#,
            "gatehouse_http_request_duration_seconds_bucket{",
            "gatehouse_argon2_queue_depth 0",
            "gatehouse_argon2_in_use 0",
            "gatehouse_outbox_oldest_age_seconds",
        ] {
            assert!(text.contains(expected), "[{}] {expected} in\n{text}", app.label);
        }
        // The welcome mail of the registration waits in the outbox (no jobs run in tests).
        let backlog = text.lines().find(|l| l.starts_with("gatehouse_outbox_backlog ")).expect("backlog gauge");
        assert_ne!(backlog, "gatehouse_outbox_backlog 0", "[{}]", app.label);
        assert!(!text.contains("not-a-contact"), "[{}] no path IDs in label values", app.label);

        // The public listener has no metrics.
        assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND, "[{}]", app.label);
    }
}
