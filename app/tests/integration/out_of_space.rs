//! A database with no room left to write (issue 11's disk-full fault). SQLite answers a write
//! that needs a page past `max_page_count` exactly as it answers a full disk (`SQLITE_FULL`), so
//! the limit stands in for the disk: the user is told the server is out of space, with the
//! reference code and a 503, nothing is half-written, and writing works again once there is room.

use app::api::ssr::to_app_error;
use app::api::AppError;
use app::backend::{ServiceError, TestClock};
use app::testing::{
    count_rows, individual_fields, limit_sqlite_pages, migrated_state, register_as, registration_counts, sqlite_file,
    sqlite_pages, T0,
};

async fn one_number(state: &app::backend::AppState, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(state.db.pool()).await.expect(sql);
    n
}

// covers: LOG-1
#[tokio::test]
async fn a_full_database_is_answered_out_of_space_and_writes_nothing() {
    // A file, not memory: a connection whose transaction SQLite ended on its own is closed by
    // the pool, and an in-memory database would go with it.
    let file = sqlite_file();
    let state = migrated_state(&file.url, TestClock::at(T0)).await;
    limit_sqlite_pages(&state.db, sqlite_pages(&state.db).await).await;

    // The free room left in existing pages takes a few registrations; one soon needs a page.
    let mut refused = None;
    for n in 0..200 {
        let before = registration_counts(&state).await;
        let username = format!("Full.{n}");
        match register_as(&state, "individual", &individual_fields(&username)).await {
            Ok(_) => continue,
            Err(err) => {
                assert_eq!(registration_counts(&state).await, before, "a refused registration writes nothing");
                refused = Some(err);
                break;
            }
        }
    }
    let err = refused.expect("a database at its page limit refuses a registration");
    assert!(matches!(&err, ServiceError::Store(e) if e.is_out_of_space()), "{err:?}");
    let answer = to_app_error(err, "ref-full".into());
    assert_eq!(answer, AppError::OutOfSpace { reference: "ref-full".into() });
    assert_eq!(answer.status().as_u16(), 503, "Service Unavailable");
    let message = answer.to_string();
    assert!(message.contains("out of storage space") && message.contains("ref-full"), "{message}");

    // Room again: the same database takes the next registration.
    limit_sqlite_pages(&state.db, 1_073_741_823).await;
    let users = count_rows(&state.db, "users").await;
    register_as(&state, "individual", &individual_fields("Room.Again"))
        .await
        .expect("registration after space returns");
    assert_eq!(count_rows(&state.db, "users").await, users + 1);
    assert_eq!(
        one_number(&state, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'").await,
        0
    );
}
