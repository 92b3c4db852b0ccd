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
