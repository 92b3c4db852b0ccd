//! The SQLite and PostgreSQL migrations must describe the same schema (OPS-3: one binary, either
//! database): the same tables with the same column names.

use std::collections::{BTreeMap, BTreeSet};

use app::backend::Db;
use app::testing::{test_databases, TestDb};

type Schema = BTreeMap<String, BTreeSet<String>>;

async fn migrated(db: &TestDb) -> Db {
    let pool = Db::connect(&db.url).await.unwrap_or_else(|e| panic!("[{}] connect: {e}", db.label));
    pool.migrate().await.unwrap_or_else(|e| panic!("[{}] migrate: {e}", db.label));
    pool
}

fn collect(rows: Vec<(String, String)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column) in rows {
        if table != "_sqlx_migrations" {
            schema.entry(table).or_default().insert(column);
        }
    }
    schema
}

async fn sqlite_schema(db: &Db) -> Schema {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
    )
    .fetch_all(db.pool())
    .await
    .expect("SQLite schema");
    collect(rows)
}

async fn postgres_schema(db: &Db) -> Schema {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1, 2",
    )
    .fetch_all(db.pool())
    .await
    .expect("PostgreSQL schema");
    collect(rows)
}

// covers: OPS-3
#[tokio::test]
async fn sqlite_and_postgresql_migrations_create_the_same_tables_and_columns() {
    // In-memory SQLite, then PostgreSQL when configured (required under CI=true).
    let databases = test_databases().await;
    let sqlite = sqlite_schema(&migrated(&databases[0]).await).await;
    assert!(sqlite.len() > 30, "the SQLite schema was read: {:?}", sqlite.keys());
    assert!(sqlite["users"].contains("lower_username"), "columns were read");

    let Some(pg_db) = databases.get(1) else { return };
    assert_eq!(pg_db.label, "postgres");
    let postgres = postgres_schema(&migrated(pg_db).await).await;

    let sqlite_tables: BTreeSet<&String> = sqlite.keys().collect();
    let postgres_tables: BTreeSet<&String> = postgres.keys().collect();
    assert_eq!(
        sqlite_tables.symmetric_difference(&postgres_tables).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "tables only in one of the two schemas"
    );
    let mut differences = Vec::new();
    for (table, columns) in &sqlite {
        let other = &postgres[table];
        for column in columns.symmetric_difference(other) {
            let side = if columns.contains(column) { "SQLite" } else { "PostgreSQL" };
            differences.push(format!("{table}.{column} only in {side}"));
        }
    }
    assert!(differences.is_empty(), "columns differ: {differences:#?}");
}
