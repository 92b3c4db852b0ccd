//! Persons and what belongs to them: e-mail addresses, phones, contact preferences (REG-11).

use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::backend::new_id;
use crate::domain::RecordStatus;

pub struct NewPerson<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub language: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, person: &NewPerson<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO persons (id, first_name, last_name, language, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $5)",
    )
    .bind(&id)
    .bind(person.first_name)
    .bind(person.last_name)
    .bind(person.language)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn set_status(
    conn: &mut AnyConnection,
    person_id: &str,
    status: RecordStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE persons SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(now_ms)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn add_email(
    conn: &mut AnyConnection,
    person_id: &str,
    address: &str,
    primary: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO email_addresses (id, person_id, organization_id, address, is_primary, created_at) \
         VALUES ($1, $2, NULL, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(person_id)
    .bind(address)
    .bind(super::flag(primary))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn add_phone(
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

pub async fn primary_email(conn: &mut AnyConnection, person_id: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT address FROM email_addresses WHERE person_id = $1 ORDER BY is_primary DESC, created_at LIMIT 1",
    )
    .bind(person_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(a,)| a))
}

/// Where a preference change came from (REG-11).
#[derive(Debug, Clone, Copy)]
pub enum PreferenceSource {
    Registration,
    Profile,
    PrimaryUser,
    Console,
    Import,
}

impl PreferenceSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Profile => "profile",
            Self::PrimaryUser => "primary_user",
            Self::Console => "console",
            Self::Import => "import",
        }
    }

    /// The stored word back as a source; `None` for a word this version does not know.
    pub fn from_stored(word: &str) -> Option<Self> {
        [Self::Registration, Self::Profile, Self::PrimaryUser, Self::Console, Self::Import]
            .into_iter()
            .find(|source| source.as_str() == word)
    }
}

pub const MARKETING_OPT_IN: &str = "marketing_opt_in";

/// Sets a preference and appends its history row (value, when, by whom, where).
pub async fn set_preference(
    conn: &mut AnyConnection,
    person_id: &str,
    preference: &str,
    value: &str,
    source: PreferenceSource,
    changed_by: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO contact_preferences (person_id, preference, value, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, preference) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(person_id)
    .bind(preference)
    .bind(value)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO contact_preference_history (id, person_id, preference, value, source, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(person_id)
    .bind(preference)
    .bind(value)
    .bind(source.as_str())
    .bind(changed_by)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PreferenceChange {
    pub value: String,
    pub source: String,
    pub changed_by: Option<String>,
    pub changed_at: i64,
}

pub async fn preference_history(
    conn: &mut AnyConnection,
    person_id: &str,
    preference: &str,
) -> Result<Vec<PreferenceChange>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT value, source, changed_by, changed_at FROM contact_preference_history \
         WHERE person_id = $1 AND preference = $2 ORDER BY changed_at, id LIMIT 100",
    )
    .bind(person_id)
    .bind(preference)
    .fetch_all(&mut *conn)
    .await?)
}

/// What a confirmation form starts from (PAR-2): the person's names, primary e-mail and
/// primary phone.
#[derive(Debug, Clone, Default)]
pub struct KnownPerson {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub async fn known(conn: &mut AnyConnection, person_id: &str) -> Result<KnownPerson, StoreError> {
    let row: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT p.first_name, p.last_name, \
           (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1), \
           (SELECT ph.number FROM phones ph WHERE ph.person_id = p.id ORDER BY ph.is_primary DESC, ph.created_at LIMIT 1) \
         FROM persons p WHERE p.id = $1",
    )
    .bind(person_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|(first_name, last_name, email, phone)| KnownPerson { first_name, last_name, email, phone })
        .unwrap_or_default())
}
