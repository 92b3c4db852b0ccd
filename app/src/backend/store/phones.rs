//! A person's phone book (PRO-2) and an organization's phone (PRO-5). Every statement is
//! scoped by the owner, so another person's phone id matches nothing (SEC-5). A removed phone
//! is deleted: nothing refers to phones by id, and a deleted number can never be offered (REJ-4).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::{PhoneEntry, PhoneKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPhone {
    pub id: String,
    pub number: String,
    pub kind: PhoneKind,
    pub is_primary: bool,
}

#[derive(FromRow)]
struct PhoneRow {
    id: String,
    number: String,
    kind: String,
    is_primary: i64,
}

impl TryFrom<PhoneRow> for StoredPhone {
    type Error = StoreError;
    fn try_from(row: PhoneRow) -> Result<Self, StoreError> {
        Ok(StoredPhone {
            kind: parse_stored("phone kind", &row.kind)?,
            id: row.id,
            number: row.number,
            is_primary: row.is_primary != 0,
        })
    }
}

/// The person's phones, oldest first, at most `limit` (the use case bounds the book).
pub async fn of_person(conn: &mut AnyConnection, person_id: &str, limit: i64) -> Result<Vec<StoredPhone>, StoreError> {
    let rows: Vec<PhoneRow> = sqlx::query_as(
        "SELECT id, number, kind, is_primary FROM phones WHERE person_id = $1 ORDER BY created_at, id LIMIT $2",
    )
    .bind(person_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(StoredPhone::try_from).collect()
}

pub async fn find(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<Option<StoredPhone>, StoreError> {
    let row: Option<PhoneRow> =
        sqlx::query_as("SELECT id, number, kind, is_primary FROM phones WHERE id = $1 AND person_id = $2")
            .bind(id)
            .bind(person_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(StoredPhone::try_from).transpose()
}

pub async fn count(conn: &mut AnyConnection, person_id: &str, kind: Option<PhoneKind>) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM phones WHERE person_id = $1 AND ($2 = '' OR kind = $2)")
        .bind(person_id)
        .bind(kind.map(|k| k.to_string()).unwrap_or_default())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Adds a phone; it is the primary one when the person has none yet.
pub async fn insert(
    conn: &mut AnyConnection,
    person_id: &str,
    entry: &PhoneEntry,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO phones (id, person_id, organization_id, number, digits, kind, is_primary, created_at) \
         VALUES ($1, $2, NULL, $3, $4, $5, \
                 CASE WHEN EXISTS (SELECT 1 FROM phones WHERE person_id = $2 AND is_primary = 1) THEN 0 ELSE 1 END, $6)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(entry.phone.as_str())
    .bind(entry.phone.digits())
    .bind(entry.kind.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update(
    conn: &mut AnyConnection,
    person_id: &str,
    id: &str,
    entry: &PhoneEntry,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE phones SET number = $1, digits = $2, kind = $3 WHERE id = $4 AND person_id = $5")
        .bind(entry.phone.as_str())
        .bind(entry.phone.digits())
        .bind(entry.kind.to_string())
        .bind(id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM phones WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `id` the person's one primary phone (the unique index refuses two).
pub async fn make_primary(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<bool, StoreError> {
    sqlx::query("UPDATE phones SET is_primary = 0 WHERE person_id = $1 AND is_primary = 1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("UPDATE phones SET is_primary = 1 WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// With no primary phone left, the oldest remaining one becomes primary.
pub async fn ensure_primary(conn: &mut AnyConnection, person_id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE phones SET is_primary = 1 WHERE id = ( \
             SELECT id FROM phones WHERE person_id = $1 ORDER BY created_at, id LIMIT 1) \
         AND NOT EXISTS (SELECT 1 FROM phones p WHERE p.person_id = $1 AND p.is_primary = 1)",
    )
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The organization's phone (PRO-5, REG-6: the company phone is its primary business phone).
pub async fn of_organization(conn: &mut AnyConnection, organization_id: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT number FROM phones WHERE organization_id = $1 AND is_primary = 1")
            .bind(organization_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(n,)| n))
}

/// Sets (or with `None` removes) the organization's phone.
pub async fn set_organization_phone(
    conn: &mut AnyConnection,
    organization_id: &str,
    phone: Option<&crate::domain::Phone>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let Some(phone) = phone else {
        sqlx::query("DELETE FROM phones WHERE organization_id = $1 AND is_primary = 1")
            .bind(organization_id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    };
    let updated =
        sqlx::query("UPDATE phones SET number = $1, digits = $2 WHERE organization_id = $3 AND is_primary = 1")
            .bind(phone.as_str())
            .bind(phone.digits())
            .bind(organization_id)
            .execute(&mut *conn)
            .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO phones (id, person_id, organization_id, number, digits, kind, is_primary, created_at) \
             VALUES ($1, NULL, $2, $3, $4, 'business', 1, $5)",
        )
        .bind(new_id())
        .bind(organization_id)
        .bind(phone.as_str())
        .bind(phone.digits())
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// ADM-3: an administrator sets the person's primary phone (a business number when new);
/// `None` leaves the person's phones as they are (their own phone book keeps them, PRO-2).
pub async fn set_person_phone(
    conn: &mut AnyConnection,
    person_id: &str,
    phone: Option<&crate::domain::Phone>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let Some(phone) = phone else { return Ok(()) };
    let updated = sqlx::query("UPDATE phones SET number = $1, digits = $2 WHERE person_id = $3 AND is_primary = 1")
        .bind(phone.as_str())
        .bind(phone.digits())
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO phones (id, person_id, organization_id, number, digits, kind, is_primary, created_at) \
             VALUES ($1, $2, NULL, $3, $4, 'business', 1, $5)",
        )
        .bind(new_id())
        .bind(person_id)
        .bind(phone.as_str())
        .bind(phone.digits())
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
