//! What a person keeps up to date themselves (PRO-1, PRO-4): names, notification language, the
//! primary phone, and the current value of a contact preference.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;
use crate::backend::new_id;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PersonDetails {
    pub first_name: String,
    pub last_name: String,
    /// NOT-4: the language mail to this person is written in.
    pub language: String,
}

pub async fn details(conn: &mut AnyConnection, person_id: &str) -> Result<Option<PersonDetails>, StoreError> {
    Ok(sqlx::query_as("SELECT first_name, last_name, language FROM persons WHERE id = $1")
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn update_details(
    conn: &mut AnyConnection,
    person_id: &str,
    details: &PersonDetails,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE persons SET first_name = $2, last_name = $3, language = $4, updated_at = $5 WHERE id = $1")
        .bind(person_id)
        .bind(&details.first_name)
        .bind(&details.last_name)
        .bind(&details.language)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// NOT-4: the notification language alone (Preferences).
pub async fn set_language(
    conn: &mut AnyConnection,
    person_id: &str,
    code: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE persons SET language = $2, updated_at = $3 WHERE id = $1")
        .bind(person_id)
        .bind(code)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The person's primary phone (the one registration stored): (id, number).
pub async fn primary_phone(conn: &mut AnyConnection, person_id: &str) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, number FROM phones WHERE person_id = $1 ORDER BY is_primary DESC, created_at, id LIMIT 1",
    )
    .bind(person_id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn update_phone(
    conn: &mut AnyConnection,
    person_id: &str,
    id: &str,
    number: &str,
    digits: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE phones SET number = $3, digits = $4, is_primary = 1 WHERE person_id = $1 AND id = $2")
        .bind(person_id)
        .bind(id)
        .bind(number)
        .bind(digits)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_primary_phone(
    conn: &mut AnyConnection,
    person_id: &str,
    number: &str,
    digits: &str,
    kind: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO phones (id, person_id, organization_id, number, digits, kind, is_primary, created_at) \
         VALUES ($1, $2, NULL, $3, $4, $5, 1, $6)",
    )
    .bind(new_id())
    .bind(person_id)
    .bind(number)
    .bind(digits)
    .bind(kind)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn remove_phone(conn: &mut AnyConnection, person_id: &str, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM phones WHERE person_id = $1 AND id = $2")
        .bind(person_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The current value of a contact preference (REG-11), if it was ever set.
pub async fn preference(
    conn: &mut AnyConnection,
    person_id: &str,
    preference: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM contact_preferences WHERE person_id = $1 AND preference = $2")
            .bind(person_id)
            .bind(preference)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(v,)| v))
}
