//! User types (REG-1, REG-4, CON-1): what a registrant can sign up as.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::domain::UserTypeKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserType {
    pub id: String,
    pub key: String,
    pub group_key: Option<String>,
    pub kind: UserTypeKind,
    pub long_name: String,
    pub short_name: String,
    pub approval_definition_id: Option<String>,
    pub is_active: bool,
    pub is_self_service: bool,
}

#[derive(FromRow)]
struct UserTypeRow {
    id: String,
    key: String,
    group_key: Option<String>,
    kind: String,
    long_name: String,
    short_name: String,
    approval_definition_id: Option<String>,
    is_active: i64,
    is_self_service: i64,
}

impl TryFrom<UserTypeRow> for UserType {
    type Error = StoreError;
    fn try_from(row: UserTypeRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: parse_stored("user type kind", &row.kind)?,
            id: row.id,
            key: row.key,
            group_key: row.group_key,
            long_name: row.long_name,
            short_name: row.short_name,
            approval_definition_id: row.approval_definition_id,
            is_active: row.is_active != 0,
            is_self_service: row.is_self_service != 0,
        })
    }
}

const COLUMNS: &str =
    "id, key, group_key, kind, long_name, short_name, approval_definition_id, is_active, is_self_service";

/// The active, self-service types in display order (a small table: at most a few dozen rows).
pub async fn list_registrable(conn: &mut AnyConnection) -> Result<Vec<UserType>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM user_types WHERE is_active = 1 AND is_self_service = 1 \
         ORDER BY sort_order, key LIMIT 200"
    );
    let rows: Vec<UserTypeRow> = sqlx::query_as(&sql).fetch_all(&mut *conn).await?;
    rows.into_iter().map(UserType::try_from).collect()
}

pub async fn find_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<UserType>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM user_types WHERE key = $1");
    let row: Option<UserTypeRow> = sqlx::query_as(&sql).bind(key).fetch_optional(&mut *conn).await?;
    row.map(UserType::try_from).transpose()
}

pub async fn set_active(conn: &mut AnyConnection, key: &str, active: bool, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE user_types SET is_active = $1, updated_at = $2 WHERE key = $3")
        .bind(super::flag(active))
        .bind(now_ms)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The role IDs a user type grants on approval.
pub async fn role_ids(conn: &mut AnyConnection, user_type_id: &str) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role_id FROM user_type_roles WHERE user_type_id = $1 ORDER BY role_id")
            .bind(user_type_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn short_name(conn: &mut AnyConnection, user_type_id: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT short_name FROM user_types WHERE id = $1")
        .bind(user_type_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// Every user type in display order (a small table).
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<UserType>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM user_types ORDER BY sort_order, key LIMIT 200");
    let rows: Vec<UserTypeRow> = sqlx::query_as(&sql).fetch_all(&mut *conn).await?;
    rows.into_iter().map(UserType::try_from).collect()
}

/// CON-1: one type with its sort order, for the console's editor.
pub async fn find_for_edit(conn: &mut AnyConnection, key: &str) -> Result<Option<(UserType, i64)>, StoreError> {
    let sql = format!("SELECT {COLUMNS}, sort_order FROM user_types WHERE key = $1");
    let row: Option<EditRow> = sqlx::query_as(&sql).bind(key).fetch_optional(&mut *conn).await?;
    row.map(|r| Ok((UserType::try_from(r.row)?, r.sort_order))).transpose()
}

#[derive(FromRow)]
struct EditRow {
    #[sqlx(flatten)]
    row: UserTypeRow,
    sort_order: i64,
}

/// The enrollment IDs a user type offers.
pub async fn enrollment_ids(conn: &mut AnyConnection, user_type_id: &str) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT enrollment_id FROM user_type_enrollments WHERE user_type_id = $1 ORDER BY enrollment_id",
    )
    .bind(user_type_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The stored fields of a type (CON-1); its roles and enrollments are written by [`set_links`].
pub struct UserTypeRecord<'a> {
    pub key: &'a str,
    pub group_key: Option<&'a str>,
    pub kind: &'a str,
    pub long_name: &'a str,
    pub short_name: &'a str,
    pub approval_definition_id: Option<&'a str>,
    pub is_active: bool,
    pub is_self_service: bool,
    pub sort_order: i64,
}

pub async fn insert(conn: &mut AnyConnection, t: &UserTypeRecord<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = crate::backend::new_id();
    sqlx::query(
        "INSERT INTO user_types (id, key, group_key, kind, long_name, short_name, approval_definition_id, \
         is_active, is_self_service, sort_order, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(t.key)
    .bind(t.group_key)
    .bind(t.kind)
    .bind(t.long_name)
    .bind(t.short_name)
    .bind(t.approval_definition_id)
    .bind(super::flag(t.is_active))
    .bind(super::flag(t.is_self_service))
    .bind(t.sort_order)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn update(conn: &mut AnyConnection, id: &str, t: &UserTypeRecord<'_>, now_ms: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE user_types SET key = $2, group_key = $3, kind = $4, long_name = $5, short_name = $6, \
         approval_definition_id = $7, is_active = $8, is_self_service = $9, sort_order = $10, updated_at = $11 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(t.key)
    .bind(t.group_key)
    .bind(t.kind)
    .bind(t.long_name)
    .bind(t.short_name)
    .bind(t.approval_definition_id)
    .bind(super::flag(t.is_active))
    .bind(super::flag(t.is_self_service))
    .bind(t.sort_order)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Replaces the roles and enrollments of a type.
pub async fn set_links(
    conn: &mut AnyConnection,
    id: &str,
    role_ids: &[String],
    enrollment_ids: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_type_roles WHERE user_type_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM user_type_enrollments WHERE user_type_id = $1").bind(id).execute(&mut *conn).await?;
    for role_id in role_ids {
        sqlx::query("INSERT INTO user_type_roles (user_type_id, role_id) VALUES ($1, $2)")
            .bind(id)
            .bind(role_id)
            .execute(&mut *conn)
            .await?;
    }
    for enrollment_id in enrollment_ids {
        sqlx::query("INSERT INTO user_type_enrollments (user_type_id, enrollment_id) VALUES ($1, $2)")
            .bind(id)
            .bind(enrollment_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A choice offered by the editor: an id and its name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// What a type can refer to: approval definitions, the merchant's roles (seeded or the
/// merchant's own, never a company's custom role), and enrollments. Small tables.
pub async fn choices(conn: &mut AnyConnection) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), StoreError> {
    let definitions = sqlx::query_as("SELECT id, name FROM approval_definitions ORDER BY name LIMIT 500")
        .fetch_all(&mut *conn)
        .await?;
    let roles = sqlx::query_as("SELECT id, name FROM roles WHERE organization_id IS NULL ORDER BY name LIMIT 500")
        .fetch_all(&mut *conn)
        .await?;
    let enrollments =
        sqlx::query_as("SELECT id, name FROM enrollments ORDER BY name LIMIT 500").fetch_all(&mut *conn).await?;
    Ok((definitions, roles, enrollments))
}
