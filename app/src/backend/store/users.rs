//! Users: logins linked to persons. Usernames are reserved case-insensitively by a unique
//! index on `lower_username` among users that are not released (REG-8).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
pub use crate::domain::UserStatus;
use crate::domain::{AccessFacts, BusinessFacts, ContactStatus, RecordFacts, UserTypeKind};

pub struct NewUser<'a> {
    pub person_id: &'a str,
    pub user_type_id: Option<&'a str>,
    pub organization_id: Option<&'a str>,
    pub contact_id: Option<&'a str>,
    pub username: &'a str,
    pub lower_username: &'a str,
    /// `None` until the user sets one from an invitation link (ADM-2).
    pub password_hash: Option<&'a str>,
    pub status: UserStatus,
    pub is_merchant_admin: bool,
    pub must_change_password: bool,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
}

/// Inserts a user; a username already reserved by someone else is `StoreError::UsernameTaken`.
pub async fn insert(conn: &mut AnyConnection, user: &NewUser<'_>, now_ms: i64) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, person_id, user_type_id, organization_id, contact_id, username, lower_username, \
           password_hash, status, released_at, is_merchant_admin, must_change_password, password_changed_at, \
           start_at, end_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14, $12, $12)",
    )
    .bind(&id)
    .bind(user.person_id)
    .bind(user.user_type_id)
    .bind(user.organization_id)
    .bind(user.contact_id)
    .bind(user.username)
    .bind(user.lower_username)
    .bind(user.password_hash)
    .bind(user.status.to_string())
    .bind(super::flag(user.is_merchant_admin))
    .bind(super::flag(user.must_change_password))
    .bind(now_ms)
    .bind(user.start_at)
    .bind(user.end_at)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(id)
}

pub async fn is_reserved(conn: &mut AnyConnection, lower_username: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE lower_username = $1 AND released_at IS NULL")
            .bind(lower_username)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// The columns and joins the usable-user rule needs (LOG-2): the same for sign-in and for
/// every request.
const ACCESS_COLUMNS: &str = "u.status, u.start_at, u.end_at, c.status AS contact_status";

#[derive(FromRow)]
struct AccessRow {
    status: String,
    start_at: Option<i64>,
    end_at: Option<i64>,
    contact_status: Option<String>,
}

impl AccessRow {
    fn facts(&self) -> Result<AccessFacts, StoreError> {
        Ok(AccessFacts {
            status: parse_stored("user status", &self.status)?,
            start_at: self.start_at,
            end_at: self.end_at,
            contact_status: self.contact_status.as_deref().map(|s| parse_stored("contact status", s)).transpose()?,
        })
    }
}

/// What sign-in needs to decide (LOG-1, LOG-2).
#[derive(Debug, Clone)]
pub struct SignInRecord {
    pub id: String,
    pub password_hash: Option<String>,
    pub access: AccessFacts,
    pub must_change_password: bool,
}

#[derive(FromRow)]
struct SignInRow {
    id: String,
    password_hash: Option<String>,
    must_change_password: i64,
    #[sqlx(flatten)]
    access: AccessRow,
}

pub async fn find_for_sign_in(
    conn: &mut AnyConnection,
    lower_username: &str,
) -> Result<Option<SignInRecord>, StoreError> {
    let sql = format!(
        "SELECT u.id, u.password_hash, u.must_change_password, {ACCESS_COLUMNS} \
         FROM users u LEFT JOIN contacts c ON c.id = u.contact_id \
         WHERE u.lower_username = $1 AND u.released_at IS NULL"
    );
    let row: Option<SignInRow> = sqlx::query_as(&sql).bind(lower_username).fetch_optional(&mut *conn).await?;
    row.map(|row| {
        Ok(SignInRecord {
            access: row.access.facts()?,
            id: row.id,
            password_hash: row.password_hash,
            must_change_password: row.must_change_password != 0,
        })
    })
    .transpose()
}

pub async fn record_sign_in(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A login as every request sees it: who it is, what it belongs to, and the facts of the
/// usable-user rule. Capabilities are built from this (`backend::authz`).
#[derive(Debug, Clone)]
pub struct UserAccount {
    pub id: String,
    pub person_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub organization_id: Option<String>,
    pub user_type: Option<UserTypeKind>,
    pub is_merchant_admin: bool,
    pub must_change_password: bool,
    pub access: AccessFacts,
    /// What PAR-1 decides by.
    pub record: RecordFacts,
}

#[derive(FromRow)]
struct UserAccountRow {
    id: String,
    person_id: String,
    username: String,
    first_name: String,
    last_name: String,
    organization_id: Option<String>,
    user_type: Option<String>,
    is_merchant_admin: i64,
    must_change_password: i64,
    #[sqlx(flatten)]
    access: AccessRow,
    person_status: String,
    organization_is_partner: Option<i64>,
    has_account: i64,
    last_registration: Option<String>,
}

/// The user (not released), with their person, contact, user type and what PAR-1 asks of
/// their customer record, in one query.
pub async fn find_account(conn: &mut AnyConnection, user_id: &str) -> Result<Option<UserAccount>, StoreError> {
    let sql = format!(
        "SELECT u.id, u.person_id, u.username, p.first_name, p.last_name, u.organization_id, ut.kind AS user_type, \
           u.is_merchant_admin, u.must_change_password, {ACCESS_COLUMNS}, \
           p.status AS person_status, o.is_partner AS organization_is_partner, \
           CASE WHEN u.organization_id IS NULL \
             THEN (CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = u.person_id) THEN 1 ELSE 0 END) \
             ELSE (CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = u.organization_id) THEN 1 ELSE 0 END) \
           END AS has_account, \
           (SELECT r.status FROM requests r WHERE r.user_id = u.id AND r.kind = 'registration' \
             ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1) AS last_registration \
         FROM users u JOIN persons p ON p.id = u.person_id \
         LEFT JOIN contacts c ON c.id = u.contact_id AND c.organization_id = u.organization_id \
         LEFT JOIN organizations o ON o.id = u.organization_id \
         LEFT JOIN user_types ut ON ut.id = u.user_type_id \
         WHERE u.id = $1 AND u.released_at IS NULL"
    );
    let row: Option<UserAccountRow> = sqlx::query_as(&sql).bind(user_id).fetch_optional(&mut *conn).await?;
    row.map(|row| {
        let user_type: Option<UserTypeKind> =
            row.user_type.as_deref().map(|k| parse_stored("user type kind", k)).transpose()?;
        let access = row.access.facts()?;
        let record = RecordFacts {
            is_merchant_admin: row.is_merchant_admin != 0,
            person_active: row.person_status == "active",
            business: row.organization_is_partner.map(|partner| BusinessFacts {
                is_partner_organization: partner != 0,
                contact_active: access.contact_status == Some(ContactStatus::Active),
            }),
            partner_user: matches!(user_type, Some(UserTypeKind::PartnerAdmin | UserTypeKind::PartnerBusiness)),
            has_account: row.has_account != 0,
            last_registration: row
                .last_registration
                .as_deref()
                .map(|s| parse_stored("request status", s))
                .transpose()?,
        };
        Ok(UserAccount {
            access,
            record,
            user_type,
            id: row.id,
            person_id: row.person_id,
            username: row.username,
            first_name: row.first_name,
            last_name: row.last_name,
            organization_id: row.organization_id,
            is_merchant_admin: row.is_merchant_admin != 0,
            must_change_password: row.must_change_password != 0,
        })
    })
    .transpose()
}

#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: String,
    pub person_id: String,
    pub username: String,
    pub status: UserStatus,
}

pub async fn find_by_username(
    conn: &mut AnyConnection,
    lower_username: &str,
) -> Result<Option<UserSummary>, StoreError> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, person_id, username, status FROM users WHERE lower_username = $1 AND released_at IS NULL",
    )
    .bind(lower_username)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, person_id, username, status)| {
        Ok(UserSummary { id, person_id, username, status: parse_stored("user status", &status)? })
    })
    .transpose()
}

pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &str,
    must_change: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
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

pub async fn password_hash_of(conn: &mut AnyConnection, user_id: &str) -> Result<Option<String>, StoreError> {
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

pub async fn profile(conn: &mut AnyConnection, user_id: &str) -> Result<Option<UserProfile>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.person_id, u.username, p.first_name, p.last_name, p.language \
         FROM users u JOIN persons p ON p.id = u.person_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// APR-5: the user is enabled with a start date of now.
pub async fn activate(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<UserProfile, StoreError> {
    sqlx::query("UPDATE users SET status = $3, start_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .bind(UserStatus::Active.to_string())
        .execute(&mut *conn)
        .await?;
    profile(conn, user_id).await?.ok_or(StoreError::NotFound)
}

/// REJ-1: the username is released at once, free for anyone to reuse.
pub async fn reject_and_release(conn: &mut AnyConnection, user_id: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET status = $3, released_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .bind(UserStatus::Rejected.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// ADM-2: the login of a user created by a primary user is approved at once.
pub async fn set_status(
    conn: &mut AnyConnection,
    user_id: &str,
    status: UserStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// PAR-2: the user's type and organization as the confirmation states them.
pub async fn confirm_registration(
    conn: &mut AnyConnection,
    user_id: &str,
    user_type_id: &str,
    organization_id: Option<&str>,
    contact_id: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET user_type_id = $1, organization_id = $2, contact_id = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(user_type_id)
    .bind(organization_id)
    .bind(contact_id)
    .bind(now_ms)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
