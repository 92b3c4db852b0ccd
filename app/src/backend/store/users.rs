//! Users: logins linked to persons. Usernames are reserved case-insensitively by a unique
//! index on `lower_username` among users that are not released (REG-8).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;
use crate::backend::new_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Pending,
    Active,
    Inactive,
    Rejected,
    Deleted,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::Rejected => "rejected",
            Self::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "active" => Self::Active,
            "rejected" => Self::Rejected,
            "deleted" => Self::Deleted,
            _ => Self::Inactive,
        }
    }
}

pub struct NewUser<'a> {
    pub person_id: &'a str,
    pub user_type_id: Option<&'a str>,
    pub organization_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub username: &'a str,
    pub lower_username: &'a str,
    pub password_hash: &'a str,
    pub status: UserStatus,
    pub is_merchant_admin: bool,
    pub must_change_password: bool,
    pub start_at: Option<i64>,
}

/// Inserts a user; a username already reserved by someone else is `StoreError::UsernameTaken`.
pub async fn insert(conn: &mut AnyConnection, user: &NewUser<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, person_id, user_type_id, organization_id, contact_id, username, lower_username, \
           password_hash, status, released_at, is_merchant_admin, must_change_password, password_changed_at, \
           start_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $12, $12)",
    )
    .bind(&id)
    .bind(user.person_id)
    .bind(user.user_type_id)
    .bind(user.organization_id)
    .bind(user.contact_id)
    .bind(user.username)
    .bind(user.lower_username)
    .bind(user.password_hash)
    .bind(user.status.as_str())
    .bind(super::flag(user.is_merchant_admin))
    .bind(super::flag(user.must_change_password))
    .bind(now_ms)
    .bind(user.start_at)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(id)
}

pub async fn is_reserved(conn: &mut AnyConnection, lower_username: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE lower_username = $1 AND released_at IS NULL")
            .bind(lower_username)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// What sign-in needs to decide (LOG-1, LOG-2).
#[derive(Debug, Clone, FromRow)]
pub struct SignInRecord {
    pub id: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub must_change_password: i64,
    pub inactive_contact: i64,
}

pub async fn find_for_sign_in(
    conn: &mut AnyConnection,
    lower_username: &str,
) -> Result<Option<SignInRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.password_hash, u.status, u.start_at, u.end_at, u.must_change_password, \
           CASE WHEN c.status = 'inactive' THEN 1 ELSE 0 END AS inactive_contact \
         FROM users u LEFT JOIN contacts c ON c.id = u.contact_id \
         WHERE u.lower_username = $1 AND u.released_at IS NULL",
    )
    .bind(lower_username)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn record_sign_in(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The signed-in user as every request sees it (header, authorization).
#[derive(Debug, Clone, FromRow)]
pub struct SessionUserRecord {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub organization_id: Option<String>,
    pub is_merchant_admin: i64,
    pub must_change_password: i64,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
}

pub async fn find_session_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<SessionUserRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username, p.first_name, p.last_name, u.status, u.organization_id, u.is_merchant_admin, \
           u.must_change_password, u.start_at, u.end_at \
         FROM users u JOIN persons p ON p.id = u.person_id \
         WHERE u.id = $1 AND u.released_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct UserSummary {
    pub id: String,
    pub person_id: String,
    pub username: String,
    pub status: String,
    pub released_at: Option<i64>,
}

pub async fn find_by_username(
    conn: &mut AnyConnection,
    lower_username: &str,
) -> Result<Option<UserSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, person_id, username, status, released_at FROM users \
         WHERE lower_username = $1 AND released_at IS NULL",
    )
    .bind(lower_username)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &str,
    must_change: bool,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(hash)
    .bind(super::flag(must_change))
    .bind(now_ms)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn password_hash_of(conn: &mut AnyConnection, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(|(h,)| h))
}

/// Who a user is, for e-mails and decisions.
#[derive(Debug, Clone, FromRow)]
pub struct UserProfile {
    pub id: String,
    pub person_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub language: String,
}

pub async fn profile(conn: &mut AnyConnection, user_id: &str) -> Result<Option<UserProfile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.person_id, u.username, p.first_name, p.last_name, p.language \
         FROM users u JOIN persons p ON p.id = u.person_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
}

/// APR-5: the user is enabled with a start date of now.
pub async fn activate(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<UserProfile, StoreError> {
    sqlx::query("UPDATE users SET status = 'active', start_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    profile(conn, user_id).await.map_err(StoreError::from)?.ok_or(StoreError::NotFound)
}

/// REJ-1: the username is released at once, free for anyone to reuse.
pub async fn reject_and_release(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET status = 'rejected', released_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
