//! One connection pool for SQLite or PostgreSQL through sqlx's `Any` driver, with embedded
//! migrations chosen by the URL (DESIGN.md "Database").

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};

use super::settings::SettingsCache;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl FromStr for DbKind {
    type Err = String;
    fn from_str(url: &str) -> Result<Self, Self::Err> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(format!("unsupported database URL scheme (use sqlite:// or postgres://): {}", scheme_of(url)))
        }
    }
}

impl DbKind {
    /// The database `conn` is connected to (for the few statements whose SQL differs).
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name() == "PostgreSQL" {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

fn scheme_of(url: &str) -> &str {
    url.split(':').next().unwrap_or("")
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    kind: DbKind,
    settings: SettingsCache,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Opens the pool; a SQLite file (and its folder) is created when missing.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        install_default_drivers();
        let kind = DbKind::from_str(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let (url, in_memory) = match kind {
            DbKind::Sqlite => prepare_sqlite_url(url)?,
            DbKind::Postgres => (url.to_owned(), false),
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        options = match (kind, in_memory) {
            // An in-memory SQLite database lives in one connection.
            (DbKind::Sqlite, true) => options.max_connections(1).idle_timeout(None).max_lifetime(None),
            // No ping before each acquire: a SQLite connection is a file handle that cannot go
            // stale, and the ping is a round trip to the connection's worker thread (7 % of the
            // server's CPU on Pending Approvals, issue 11). PostgreSQL keeps it: its
            // connections can die with the server (the soak's pg-restart).
            (DbKind::Sqlite, false) => options.max_connections(8).test_before_acquire(false),
            (DbKind::Postgres, _) => options.max_connections(16),
        };
        // A connection must come out of the pool outside any transaction. When SQLite ends a
        // transaction on its own (SQLITE_FULL or SQLITE_IOERR on COMMIT: "the transaction may be
        // rolled back automatically"), sqlx still counts it open and the ROLLBACK it queues when
        // the `Transaction` is dropped fails, so the count never returns to zero: every later
        // `begin` on that connection fails ("non-zero transaction depth"), long after the disk
        // has room again (issue 11's soak, disk full). Such a connection is closed, not reused.
        options = options.before_acquire(|conn, _meta| {
            Box::pin(async move {
                if !conn.is_in_transaction() {
                    return Ok(true);
                }
                // A rollback queued by a dropped `Transaction` may still be on its way; a
                // round trip lets it finish before the connection is judged.
                conn.ping().await?;
                if conn.is_in_transaction() {
                    tracing::warn!("a pooled connection was left inside a transaction; closing it");
                    return Ok(false);
                }
                Ok(true)
            })
        });
        if kind == DbKind::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                        .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await?;
        if kind == DbKind::Sqlite && !in_memory {
            pool.execute("PRAGMA journal_mode = WAL;").await?;
        }
        Ok(Self { pool, kind, settings: SettingsCache::default() })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.kind {
            DbKind::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            DbKind::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// The shared copy of this database's settings (`Settings::cached`).
    pub fn settings_cache(&self) -> &SettingsCache {
        &self.settings
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so two writers queue on `busy_timeout` instead of failing with
    /// "database is locked" when a read lock cannot be upgraded.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.kind {
            DbKind::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            DbKind::Postgres => self.pool.begin().await,
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Adds `mode=rwc` so the file is created, and creates its folder.
fn prepare_sqlite_url(url: &str) -> Result<(String, bool), sqlx::Error> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory = path == ":memory:" || path.is_empty() || query.contains("mode=memory");
    if in_memory {
        return Ok((url.to_owned(), true));
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok((format!("sqlite://{path}?{query}"), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_and_memory_is_recognised() {
        let (url, mem) = prepare_sqlite_url("sqlite::memory:").unwrap();
        assert!(mem);
        assert_eq!(url, "sqlite::memory:");
        let dir = std::env::temp_dir().join(format!("gh-db-{}", std::process::id()));
        let file = dir.join("x.db");
        let (url, mem) = prepare_sqlite_url(&format!("sqlite://{}", file.display())).unwrap();
        assert!(!mem);
        assert!(url.ends_with("?mode=rwc"));
        assert!(dir.exists());
    }

    // covers: CON-3, ADM-1
    /// The searches bind their prefix to `LIKE $n` and compare bound values with indexed
    /// columns; without the query planner stability guarantee the bundled SQLite (built with
    /// STAT4) compiles such a statement again on every execution (issue 11's profile). The
    /// guarantee comes from `.cargo/config.toml`; this fails if that build setting is lost.
    #[tokio::test]
    async fn the_bundled_sqlite_keeps_one_plan_per_statement() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let options: Vec<(String,)> =
            sqlx::query_as("SELECT compile_options FROM pragma_compile_options").fetch_all(db.pool()).await.unwrap();
        let options: Vec<&str> = options.iter().map(|(o,)| o.as_str()).collect();
        assert!(options.contains(&"ENABLE_QPSG"), "SQLite built without ENABLE_QPSG: {options:?}");
    }

    // covers: OPS-4 (readiness and recovery: writes work again once the disk has room)
    #[tokio::test]
    async fn a_connection_whose_transaction_ended_behind_sqlx_is_not_handed_out_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER)").execute(db.pool()).await.unwrap();
        // As after SQLITE_FULL on COMMIT: SQLite has ended the transaction, sqlx counts it open,
        // and the ROLLBACK queued when the `Transaction` is dropped fails.
        {
            let mut tx = db.begin().await.unwrap();
            sqlx::query("ROLLBACK").execute(&mut *tx).await.unwrap();
        }
        for n in 0..5 {
            let mut tx = db.begin().await.expect("a transaction on a usable connection");
            sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM t").fetch_one(db.pool()).await.unwrap();
        assert_eq!(count, 5);
    }

    #[test]
    fn unknown_schemes_are_refused() {
        assert!(DbKind::from_str("mysql://x").is_err());
        assert_eq!(DbKind::from_str("postgres://x").unwrap(), DbKind::Postgres);
    }
}
