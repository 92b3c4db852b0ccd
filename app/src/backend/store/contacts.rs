//! The people of an organization as its administrators see them (ADM-1 … ADM-6): a contact
//! (person + relationship), with their login if they have one. Every lookup names the
//! organization, so an id of another company's contact finds nothing (SEC-5).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::domain::{RecordStatus, UserStatus};

/// A contact of the organization and their login, if any (not released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub contact_id: String,
    pub person_id: String,
    pub organization_id: String,
    pub first_name: String,
    pub last_name: String,
    pub contact_status: RecordStatus,
    pub user: Option<SubjectUser>,
}

/// The login of a [`Subject`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectUser {
    pub id: String,
    pub username: String,
    pub status: UserStatus,
    pub user_type_id: Option<String>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
}

#[derive(FromRow)]
struct SubjectRow {
    contact_id: String,
    person_id: String,
    organization_id: String,
    first_name: String,
    last_name: String,
    contact_status: String,
    user_id: Option<String>,
    username: Option<String>,
    user_status: Option<String>,
    user_type_id: Option<String>,
    start_at: Option<i64>,
    end_at: Option<i64>,
}

/// The contact `contact_id` of `organization_id`, or `None` (unknown, or another company's).
/// The login is the newest unreleased user linked to the contact.
pub async fn subject(
    conn: &mut AnyConnection,
    organization_id: &str,
    contact_id: &str,
) -> Result<Option<Subject>, StoreError> {
    let row: Option<SubjectRow> = sqlx::query_as(
        "SELECT c.id AS contact_id, c.person_id, c.organization_id, p.first_name, p.last_name, \
           c.status AS contact_status, u.id AS user_id, u.username, u.status AS user_status, u.user_type_id, \
           u.start_at, u.end_at \
         FROM contacts c JOIN persons p ON p.id = c.person_id \
         LEFT JOIN users u ON u.id = (SELECT u2.id FROM users u2 WHERE u2.contact_id = c.id AND u2.released_at IS NULL \
                                      ORDER BY u2.created_at DESC, u2.id LIMIT 1) \
         WHERE c.id = $1 AND c.organization_id = $2",
    )
    .bind(contact_id)
    .bind(organization_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user = match (row.user_id, row.username, row.user_status) {
        (Some(id), Some(username), Some(status)) => Some(SubjectUser {
            id,
            username,
            status: parse_stored("user status", &status)?,
            user_type_id: row.user_type_id,
            start_at: row.start_at,
            end_at: row.end_at,
        }),
        _ => None,
    };
    Ok(Some(Subject {
        contact_id: row.contact_id,
        person_id: row.person_id,
        organization_id: row.organization_id,
        first_name: row.first_name,
        last_name: row.last_name,
        contact_status: parse_stored("contact status", &row.contact_status)?,
        user,
    }))
}

/// How many active users of the organization hold an administrator role (Primary User or
/// Partner Primary User) in force at `now_ms` and may use their login now (LOG-2).
pub async fn active_administrators(
    conn: &mut AnyConnection,
    organization_id: &str,
    now_ms: i64,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users u JOIN contacts c ON c.id = u.contact_id \
         WHERE u.organization_id = $1 AND u.status = 'active' AND u.released_at IS NULL \
           AND c.status = 'active' AND c.organization_id = $1 \
           AND (u.start_at IS NULL OR u.start_at <= $2) AND (u.end_at IS NULL OR u.end_at >= $2) \
           AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
                       WHERE ur.user_id = u.id AND r.key IN ('primary_user', 'partner_primary_user') \
                         AND (ur.start_at IS NULL OR ur.start_at <= $2) AND (ur.end_at IS NULL OR ur.end_at >= $2))",
    )
    .bind(organization_id)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}
