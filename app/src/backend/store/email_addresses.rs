//! A person's stored (confirmed) e-mail addresses (PRO-2, OAA-4): list, primary, remove. Every
//! statement names the person, so an address ID of someone else's finds nothing (SEC-5).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEmail {
    pub id: String,
    pub address: String,
    pub is_primary: bool,
}

#[derive(FromRow)]
struct EmailRow {
    id: String,
    address: String,
    is_primary: i64,
}

impl From<EmailRow> for StoredEmail {
    fn from(row: EmailRow) -> Self {
        Self { id: row.id, address: row.address, is_primary: row.is_primary != 0 }
    }
}

/// No person needs more addresses than this; the list is bounded like every list.
pub const MAX_ADDRESSES: i64 = 50;

/// The person's addresses, the primary first.
pub async fn of_person(conn: &mut AnyConnection, person_id: &str) -> Result<Vec<StoredEmail>, StoreError> {
    let rows: Vec<EmailRow> = sqlx::query_as(
        "SELECT id, address, is_primary FROM email_addresses WHERE person_id = $1 \
         ORDER BY is_primary DESC, created_at, id LIMIT $2",
    )
    .bind(person_id)
    .bind(MAX_ADDRESSES)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(StoredEmail::from).collect())
}

/// One of the person's addresses by ID; nothing when it is not theirs.
pub async fn find(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<Option<StoredEmail>, StoreError> {
    let row: Option<EmailRow> =
        sqlx::query_as("SELECT id, address, is_primary FROM email_addresses WHERE person_id = $1 AND id = $2")
            .bind(person_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(StoredEmail::from))
}

/// One of the person's addresses by address, case-insensitively.
pub async fn find_address(
    conn: &mut AnyConnection,
    person_id: &str,
    address: &str,
) -> Result<Option<StoredEmail>, StoreError> {
    let row: Option<EmailRow> = sqlx::query_as(
        "SELECT id, address, is_primary FROM email_addresses WHERE person_id = $1 AND lower(address) = lower($2) \
         ORDER BY created_at LIMIT 1",
    )
    .bind(person_id)
    .bind(address)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(StoredEmail::from))
}

/// Makes `id` the person's only primary address (OAA-4: the others stay, non-primary).
pub async fn set_primary(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE email_addresses SET is_primary = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE person_id = $1")
        .bind(person_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes a non-primary address of the person; false when there was none such.
pub async fn remove_secondary(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM email_addresses WHERE person_id = $1 AND id = $2 AND is_primary = 0")
        .bind(person_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a confirmed address of the person, not primary; its ID.
pub async fn insert(
    conn: &mut AnyConnection,
    person_id: &str,
    address: &str,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = crate::backend::new_id();
    sqlx::query(
        "INSERT INTO email_addresses (id, person_id, organization_id, address, is_primary, created_at) \
         VALUES ($1, $2, NULL, $3, 0, $4)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(address)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}
