mod common;
use std::time::{Duration, Instant};

async fn many(path: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(std::env::var("SCRATCH_LOG").unwrap_or("warn".into()))
        .with_writer(std::io::stderr)
        .try_init();
    let db = app::backend::testing::test_databases().await.into_iter().next().unwrap();
    let app = common::spawn_app(db).await;
    for i in 0..150 {
        let start = Instant::now();
        let r = tokio::time::timeout(Duration::from_secs(5), app.client.get(app.url(path)).send()).await;
        match r {
            Ok(Ok(resp)) => {
                let _ = resp.text().await;
            }
            Ok(Err(e)) => panic!("request {i} failed: {e:?}"),
            Err(_) => panic!("{path} request {i} hung for 5 s"),
        }
        if start.elapsed() > Duration::from_secs(1) {
            eprintln!("slow {i}: {:?}", start.elapsed());
        }
    }
}
#[tokio::test]
async fn a() {
    many("/register").await
}
#[tokio::test]
async fn b() {
    many("/").await
}
#[tokio::test]
async fn c() {
    many("/register?group_ut=nonsense").await
}
#[tokio::test]
async fn d() {
    many("/login").await
}
