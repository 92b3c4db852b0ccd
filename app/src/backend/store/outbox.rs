//! The outbox table (NOT-3): messages queued with the event that causes them, leased by the
//! dispatchers of any number of server instances, and kept as sent or failed for the console.

use sqlx::{AnyConnection, FromRow};

use crate::backend::db::{Db, DbKind};
use crate::backend::{new_id, StoreError};

pub const QUEUED: &str = "queued";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// A message to queue; the bodies are final.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub template: &'a str,
}

/// A whole outbox row, as the dispatcher needs it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxRow {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub template: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// One line of the console's outbox list (CON-6): no bodies, which may hold single-use links.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxEntry {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub template: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// What waits to be sent (the metrics' backlog gauges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    pub queued: i64,
    pub oldest_created_at: Option<i64>,
}

/// How many messages are queued, and since when the oldest (walks `outbox_due`'s queued part).
pub async fn backlog(conn: &mut AnyConnection) -> Result<Backlog, StoreError> {
    let (queued, oldest_created_at): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'queued'")
            .fetch_one(&mut *conn)
            .await?;
    Ok(Backlog { queued, oldest_created_at })
}

const ROW_COLUMNS: &str = "id, recipient, subject, text_body, html_body, template, status, attempts, \
     next_attempt_at, lease_until, last_error, created_at, sent_at";
const ENTRY_COLUMNS: &str =
    "id, recipient, subject, template, status, attempts, next_attempt_at, last_error, created_at, sent_at";

/// Queues a message, due at once. Run it on the transaction of the event (NOT-3).
pub async fn enqueue(conn: &mut AnyConnection, message: &NewMessage<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, text_body, html_body, template, status, attempts, \
         next_attempt_at, lease_until, last_error, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, NULL, NULL, $7, NULL)",
    )
    .bind(&id)
    .bind(message.recipient)
    .bind(message.subject)
    .bind(message.text_body)
    .bind(message.html_body)
    .bind(message.template)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(id)
}

/// Leases up to `limit` due messages until `now_ms + lease_ms` and returns them.
///
/// One statement decides, so two dispatchers never get the same row: on SQLite the
/// transaction holds the write lock from its start (`Db::begin`); on PostgreSQL a concurrent
/// UPDATE of the same row waits for the first to commit and then re-checks the outer WHERE
/// against the new lease, which no longer matches. The inner SELECT walks `outbox_due`.
pub async fn claim_due(db: &Db, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
    // The one dialect difference: without SKIP LOCKED a second PostgreSQL dispatcher would
    // wait for the first one's rows and then get none of them, instead of taking the next ones.
    // SQLite has no row locks (and needs none: its writers are serialised).
    let skip_locked = match db.kind() {
        DbKind::Postgres => " FOR UPDATE SKIP LOCKED",
        DbKind::Sqlite => "",
    };
    let mut tx = db.begin().await.map_err(StoreError::from)?;
    let sql = format!(
        "UPDATE outbox SET lease_until = $1 \
         WHERE id IN (SELECT id FROM outbox \
                      WHERE status = 'queued' AND next_attempt_at <= $2 \
                        AND (lease_until IS NULL OR lease_until < $2) \
                      ORDER BY next_attempt_at LIMIT $3{skip_locked}) \
           AND status = 'queued' AND (lease_until IS NULL OR lease_until < $2) \
         RETURNING {ROW_COLUMNS}"
    );
    let mut rows: Vec<OutboxRow> = sqlx::query_as(&sql)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    // RETURNING has no order of its own; send the oldest first.
    rows.sort_by(|a, b| (a.next_attempt_at, &a.id).cmp(&(b.next_attempt_at, &b.id)));
    Ok(rows)
}

/// Records a delivery. A row already marked sent stays as it was.
pub async fn mark_sent(conn: &mut AnyConnection, id: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $2, lease_until = NULL \
         WHERE id = $1 AND status <> 'sent'",
    )
    .bind(id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(())
}

/// Records a failed attempt: `attempts` is the new total; the row becomes due again at
/// `next_attempt_at`, or `failed` when `give_up`. Only a queued row changes, so a late failure
/// report never reopens a message another dispatcher has delivered meanwhile.
pub async fn mark_attempt_failed(
    conn: &mut AnyConnection,
    id: &str,
    attempts: i64,
    next_attempt_at: i64,
    error_text: &str,
    give_up: bool,
) -> Result<(), StoreError> {
    let status = if give_up { FAILED } else { QUEUED };
    sqlx::query(
        "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, \
         lease_until = NULL \
         WHERE id = $1 AND status = 'queued'",
    )
    .bind(id)
    .bind(status)
    .bind(attempts)
    .bind(next_attempt_at)
    .bind(truncate(error_text, 1000))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(())
}

/// Gives a leased but unattempted message back at once (a dispatcher ran short of lease time).
pub async fn release(conn: &mut AnyConnection, id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET lease_until = NULL WHERE id = $1 AND status = 'queued'")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    Ok(())
}

/// One page of the outbox, newest first (CON-6). With a status the page walks `outbox_due`
/// (status, next_attempt_at); without one it walks the primary key (UUIDv7, so time order).
pub async fn list(
    conn: &mut AnyConnection,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OutboxEntry>, StoreError> {
    let rows = match status {
        Some(status) => {
            let sql = format!(
                "SELECT {ENTRY_COLUMNS} FROM outbox WHERE status = $1 \
                 ORDER BY next_attempt_at DESC, id DESC LIMIT $2 OFFSET $3"
            );
            sqlx::query_as(&sql).bind(status).bind(limit).bind(offset).fetch_all(&mut *conn).await
        }
        None => {
            let sql = format!("SELECT {ENTRY_COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2");
            sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(&mut *conn).await
        }
    };
    rows.map_err(StoreError::from)
}

/// One message with its bodies (console detail, tests).
pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<OutboxRow>, StoreError> {
    let sql = format!("SELECT {ROW_COLUMNS} FROM outbox WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(StoreError::from)
}

/// CON-6: queues a failed message again, due now, with a fresh series of attempts.
/// `NotFound` when there is no failed message with this id.
pub async fn retry(conn: &mut AnyConnection, id: &str, now_ms: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $2, lease_until = NULL \
         WHERE id = $1 AND status = 'failed'",
    )
    .bind(id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Error texts come from SMTP servers; keep the column bounded (on a character boundary).
fn truncate(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}
