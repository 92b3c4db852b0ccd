//! CON-7: the customer import's SQL — the map from (kind, external id) to record, lookups of
//! numbers already used, and multi-row inserts of the imported records. Inserts go in chunks
//! that stay under both databases' bind-parameter limits (SQLite 32766, PostgreSQL 65535).

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

use crate::backend::error::StoreError;
use crate::domain::customer_import::RecordKind;

/// Bind parameters per statement, far under both limits: SQLite resolves each `$n` among the
/// statement's names one by one, so preparing a statement costs the square of its parameter
/// count (30,000 parameters made a 100,000-row import take 50 s instead of a few).
const MAX_PARAMETERS: usize = 1_000;
/// Values per lookup (the same cost applies).
const LOOKUP_CHUNK: usize = 500;

/// One value of an inserted row.
pub enum Cell<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
}

fn bind<'q>(query: Query<'q, Any, AnyArguments<'q>>, cell: &Cell<'q>) -> Query<'q, Any, AnyArguments<'q>> {
    match *cell {
        Cell::Text(text) => query.bind(text),
        Cell::MaybeText(text) => query.bind(text),
        Cell::Int(n) => query.bind(n),
    }
}

/// `INSERT INTO table (columns) VALUES (…), (…)…` for every row, in as few statements as the
/// parameter limit allows. Each row has one cell per column.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Cell<'_>>],
) -> Result<(), StoreError> {
    let per_statement = (MAX_PARAMETERS / columns.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let sql = insert_sql(table, columns, chunk.len());
        let mut query = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            query = bind(query, cell);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            n += 1;
            sql.push_str(&format!("{}${n}", if column == 0 { "" } else { ", " }));
        }
        sql.push(')');
    }
    sql
}

/// The records earlier imports made of these external ids of one kind.
pub async fn imported(
    conn: &mut AnyConnection,
    kind: RecordKind,
    external_ids: &[&str],
) -> Result<HashMap<String, String>, StoreError> {
    let mut found = HashMap::new();
    for chunk in external_ids.chunks(LOOKUP_CHUNK) {
        let sql = format!(
            "SELECT k.external_id, k.record_id FROM (VALUES {}) AS v \
             JOIN customer_import_keys k ON k.kind = $1 AND k.external_id = v.column1",
            value_rows(2, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(<&str>::from(kind));
        for id in chunk {
            query = query.bind(*id);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// A human identifier that must be unique: which table and column hold it.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Account,
    Order,
    Registry,
}

impl Number {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Number::Account => ("accounts", "account_number"),
            Number::Order => ("orders", "order_number"),
            Number::Registry => ("organizations", "registry_id"),
        }
    }
}

/// Which of these numbers some record already has.
pub async fn numbers_in_use(
    conn: &mut AnyConnection,
    number: Number,
    values: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let (table, column) = number.table_and_column();
    let mut used = HashSet::new();
    for chunk in values.chunks(LOOKUP_CHUNK) {
        let sql = format!(
            "SELECT t.{column} FROM (VALUES {}) AS v JOIN {table} t ON t.{column} = v.column1",
            value_rows(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql);
        for value in chunk {
            query = query.bind(*value);
        }
        used.extend(query.fetch_all(&mut *conn).await?.into_iter().map(|(v,)| v));
    }
    Ok(used)
}

/// `($2), ($3), …`: the looked-up values as a table joined to the indexed column. Not `IN (…)`:
/// PostgreSQL's generic plan of a cached statement filters every row of the kind against the
/// whole list (0.8 s per lookup of 500 among 100,000 keys; the join takes 14 ms).
fn value_rows(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("(${n})")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: CON-7
    #[test]
    fn one_statement_numbers_every_row_s_parameters_in_turn() {
        assert_eq!(insert_sql("t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(value_rows(2, 3), "($2), ($3), ($4)");
    }
}
