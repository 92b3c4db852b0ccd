//! The databases every use-case and HTTP test runs on (DESIGN.md "Testing"): a fresh in-memory
//! SQLite always, and a brand-new PostgreSQL database per test when `TEST_DATABASE_URL` is set,
//! which `CI=true` requires (OPS-2: the suite fails, never skips).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sqlx::{AnyConnection, Connection, Executor};

use crate::backend::clock::TestClock;
use crate::backend::db::Db;
use crate::backend::password::PasswordHasher;
use crate::backend::state::{AppConfig, AppState, NoDirectory};

/// One database a test runs on. A PostgreSQL database is dropped (best effort) when this is.
pub struct TestDb {
    /// A URL for `Db::connect` or `Config::for_tests`.
    pub url: String,
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub label: &'static str,
    /// The maintenance URL and the database name to drop afterwards (PostgreSQL only).
    created: Option<(String, String)>,
    /// The directory of a SQLite file, removed when this is dropped.
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb").field("label", &self.label).finish_non_exhaustive()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((maintenance_url, name)) = self.created.take() else { return };
        // Drop runs inside the test's runtime, which cannot be blocked on; a thread with its own
        // runtime does the async work. FORCE ends connections the test's pool still holds.
        let dropping = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            runtime.block_on(async move {
                let Ok(mut conn) = AnyConnection::connect(&maintenance_url).await else { return };
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = conn.execute(sql.as_str()).await {
                    eprintln!("could not drop test database {name}: {e}");
                }
                let _ = conn.close().await;
            });
        });
        let _ = dropping.join();
    }
}

/// `CI=true` (or `1`): PostgreSQL is required.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The databases a test must run on: in-memory SQLite, then PostgreSQL when configured.
///
/// # Panics
/// Under `CI=true` when `TEST_DATABASE_URL` is unset or unreachable, so CI cannot pass
/// without having run the PostgreSQL variant.
pub async fn test_databases() -> Vec<TestDb> {
    let mut databases = vec![sqlite_memory()];
    if let Some(postgres) = postgres().await {
        databases.push(postgres);
    }
    databases
}

/// Databases where two connections really run at once (races, leases): a SQLite file
/// (in-memory SQLite has a single connection), then PostgreSQL when configured.
pub async fn concurrent_databases() -> Vec<TestDb> {
    let mut databases = vec![sqlite_file()];
    if let Some(postgres) = postgres().await {
        databases.push(postgres);
    }
    databases
}

/// A fresh in-memory SQLite database.
pub fn sqlite_memory() -> TestDb {
    TestDb { url: "sqlite::memory:".into(), label: "sqlite", created: None, _dir: None }
}

/// A SQLite file in a temporary directory, so that a pool has several connections.
///
/// # Panics
/// When no temporary directory can be created.
pub fn sqlite_file() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("gatehouse.db").display());
    TestDb { url, label: "sqlite file", created: None, _dir: Some(dir) }
}

/// A new empty database `gh_<uuid>` on the `TEST_DATABASE_URL` server, or `None` (skipped
/// with a note) when none is configured outside CI.
pub async fn postgres() -> Option<TestDb> {
    let skip = |why: String| {
        if let Err(failure) = without_postgres(in_ci(), &why) {
            panic!("{failure}");
        }
        eprintln!("PostgreSQL variant skipped: {why}");
    };
    let Some(url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) else {
        skip("TEST_DATABASE_URL is not set".into());
        return None;
    };
    sqlx::any::install_default_drivers();
    let mut conn = match tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect(&url)).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => {
            skip(format!("TEST_DATABASE_URL is unreachable: {e}"));
            return None;
        }
        Err(_) => {
            skip("TEST_DATABASE_URL did not answer within 10 s".into());
            return None;
        }
    };
    let name = format!("gh_{}", uuid::Uuid::now_v7().simple());
    let sql = format!("CREATE DATABASE {name}");
    if let Err(e) = conn.execute(sql.as_str()).await {
        skip(format!("CREATE DATABASE failed on TEST_DATABASE_URL: {e}"));
        return None;
    }
    let _ = conn.close().await;
    Some(TestDb { url: with_database(&url, &name), label: "postgres", created: Some((url, name)), _dir: None })
}

/// OPS-2: what a run without PostgreSQL does — outside CI it goes on with SQLite (and says so);
/// under `CI=true` it fails, so CI can never pass without the PostgreSQL variant.
fn without_postgres(ci: bool, why: &str) -> Result<(), String> {
    if ci {
        Err(format!("CI=true requires PostgreSQL for the integration tests, but {why}"))
    } else {
        Ok(())
    }
}

/// `url` with its database name replaced (query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..].find('/').map_or(base.len(), |i| after_scheme + i);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{}/{name}{query}", &base[..host_end])
}

/// Runs `scenario` once per database of [`test_databases`], one after the other.
pub async fn for_each_database<F, Fut>(mut scenario: F)
where
    F: FnMut(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    for db in test_databases().await {
        scenario(db).await;
    }
}

/// The migrated database at `url`.
///
/// # Panics
/// When the database cannot be opened or migrated.
pub async fn migrated_db(url: &str) -> Db {
    let db = Db::connect(url).await.unwrap_or_else(|e| panic!("could not open the test database: {e}"));
    db.migrate().await.unwrap_or_else(|e| panic!("could not migrate the test database: {e}"));
    db
}

/// The state the use cases take, on the migrated database at `url`, with `clock` as its time.
///
/// # Panics
/// When the database cannot be opened or migrated.
pub async fn migrated_state(url: &str, clock: TestClock) -> AppState {
    let db = migrated_db(url).await;
    AppState {
        db,
        clock: Arc::new(clock),
        hasher: PasswordHasher::new(2),
        config: Arc::new(AppConfig { public_url: "http://127.0.0.1".into(), ip_rate_limit: true }),
        directory: Arc::new(NoDirectory),
    }
}

/// SQLite's page limit on every pooled connection of `db` (a per-connection setting, so all of
/// them are held at once): a write that needs a page past `limit` then fails with
/// `SQLITE_FULL`, exactly as it does on a full disk (issue 11's disk-full fault).
///
/// # Panics
/// When a connection cannot be had or the setting is refused.
pub async fn limit_sqlite_pages(db: &Db, limit: i64) {
    let pool = db.pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let mut conn = pool.acquire().await.expect("a connection");
        sqlx::query(&format!("PRAGMA max_page_count = {limit}")).execute(&mut *conn).await.expect("page limit");
        held.push(conn);
    }
}

/// The pages a SQLite database has now.
///
/// # Panics
/// When the query fails.
pub async fn sqlite_pages(db: &Db) -> i64 {
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(db.pool()).await.expect("page count");
    pages
}

/// Rows in `table` (a schema name from the test itself, never input).
///
/// # Panics
/// When the query fails.
pub async fn count_rows(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let (n,): (i64,) =
        sqlx::query_as(&sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("could not count {table}: {e}"));
    n
}

/// Runs one SQL statement with text parameters (test fixtures); panics with the SQL on error.
pub async fn exec(state: &AppState, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(*b);
    }
    query.execute(state.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The first column of every row, as text.
pub async fn strings(state: &AppState, sql: &str, binds: &[&str]) -> Vec<String> {
    let mut query = sqlx::query_as::<_, (String,)>(sql);
    for b in binds {
        query = query.bind(*b);
    }
    query.fetch_all(state.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}")).into_iter().map(|(s,)| s).collect()
}

/// The first column of the last row; panics when there is none.
pub async fn one(state: &AppState, sql: &str, binds: &[&str]) -> String {
    strings(state, sql, binds).await.pop().unwrap_or_else(|| panic!("no row for {sql}"))
}

#[cfg(test)]
mod tests {
    use super::{with_database, without_postgres};

    // covers: OPS-2
    #[test]
    fn without_postgres_ci_fails_and_a_local_run_goes_on_with_sqlite() {
        let failure = without_postgres(true, "TEST_DATABASE_URL is not set").unwrap_err();
        assert!(failure.contains("CI=true requires PostgreSQL"), "{failure}");
        assert!(without_postgres(false, "TEST_DATABASE_URL is not set").is_ok());
    }

    #[test]
    fn the_database_name_is_replaced_and_parameters_kept() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "gh_x"), "postgres://u@h:5432/gh_x");
        assert_eq!(with_database("postgres://u@h:5432", "gh_x"), "postgres://u@h:5432/gh_x");
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "gh_x"), "postgres://u@h/gh_x?sslmode=disable");
    }
}
