//! The people of an organization as its administrators see them (ADM-1 … ADM-6): a contact
//! (person + relationship), with their login if they have one. Every lookup names the
//! organization, so an id of another company's contact finds nothing (SEC-5).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::store::json_rows;
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

/// ADM-1's status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    /// The contact is active and so is their login, if any.
    Active,
    /// The contact or their login is inactive.
    Inactive,
    /// The login awaits approval.
    Pending,
}

impl StatusFilter {
    fn condition(self) -> &'static str {
        match self {
            StatusFilter::All => "",
            StatusFilter::Active => " AND c.status = 'active' AND (u.id IS NULL OR u.status = 'active')",
            StatusFilter::Inactive => " AND (c.status = 'inactive' OR u.status = 'inactive')",
            StatusFilter::Pending => " AND u.status = 'pending'",
        }
    }
}

/// One row of Contact Management (ADM-1).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Deserialize)]
pub struct ContactRow {
    pub contact_id: String,
    pub first_name: String,
    pub last_name: String,
    pub username: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_status: String,
    pub user_status: Option<String>,
    pub user_type: Option<String>,
}

/// The lower and upper bounds (byte order) of the terms that start with `prefix`, lower-cased.
fn prefix_range(prefix: &str) -> (String, String) {
    let lower = prefix.to_lowercase();
    let upper = format!("{lower}\u{10ffff}");
    (lower, upper)
}

/// ADM-1: the organization's contacts but `except_user_id`'s own, by last name then first
/// name, `limit` rows from `offset`; `prefix` matches the start of the first or last name, the
/// username or an e-mail address, case-insensitively.
///
/// Two steps, so the cost follows what is found and shown, not the company's size: the page's
/// contacts are chosen first, with a prefix from its range of `contact_terms` (migration 0020,
/// kept by triggers), whose index also holds the names the list sorts by; the e-mail, phone,
/// login and user type are then read for those rows alone.
pub async fn search(
    conn: &mut AnyConnection,
    organization_id: &str,
    except_user_id: &str,
    prefix: Option<&str>,
    filter: StatusFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<ContactRow>, StoreError> {
    const CURRENT_LOGIN: &str = "LEFT JOIN users u ON u.id = (SELECT u2.id FROM users u2 \
         WHERE u2.contact_id = c.id AND u2.released_at IS NULL ORDER BY u2.created_at DESC, u2.id LIMIT 1)";
    const NOT_ME: &str = "COALESCE((SELECT me.person_id FROM users me WHERE me.id = $2), '')";
    // A status filter reads the contact and its current login; the list of all does not.
    let (contacts_for_filter, login_for_filter) = match filter {
        StatusFilter::All => ("", ""),
        _ => ("JOIN contacts c ON c.id = t.contact_id", CURRENT_LOGIN),
    };
    let filter = filter.condition();
    let chosen = match prefix {
        // The range of the prefix in the company, from one index; a contact with several
        // matching terms once (grouped in the list's order: one sort, not two).
        Some(_) => format!(
            "SELECT t.contact_id AS id FROM contact_terms t {contacts_for_filter} {login_for_filter} \
                 WHERE t.organization_id = $1 AND t.term >= $3 AND t.term < $6 AND t.person_id <> {NOT_ME} {filter} \
                 GROUP BY t.last_name_key, t.first_name_key, t.contact_id \
                 ORDER BY t.last_name_key, t.first_name_key, t.contact_id LIMIT $4 OFFSET $5"
        ),
        None => format!(
            "SELECT c.id FROM contacts c JOIN persons p ON p.id = c.person_id {login_for_filter} \
             WHERE c.organization_id = $1 AND c.person_id <> {NOT_ME} AND $3 = '' AND $6 = '' {filter} \
             ORDER BY lower(p.last_name), lower(p.first_name), c.id LIMIT $4 OFFSET $5"
        ),
    };
    let sql = format!(
        "WITH page AS ({chosen}) \
         SELECT c.id AS contact_id, p.first_name, p.last_name, u.username, \
           (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
           (SELECT f.number FROM phones f WHERE f.person_id = p.id ORDER BY f.is_primary DESC, f.created_at LIMIT 1) AS phone, \
           c.status AS contact_status, u.status AS user_status, t.short_name AS user_type \
         FROM page JOIN contacts c ON c.id = page.id JOIN persons p ON p.id = c.person_id \
         {CURRENT_LOGIN} \
         LEFT JOIN user_types t ON t.id = u.user_type_id"
    );
    // One JSON array for the page (json_rows: one row through the driver, not 25).
    let sql = json_rows::wrap(
        conn,
        &sql,
        "contact_id, first_name, last_name, username, email, phone, contact_status, user_status, user_type",
        "lower(last_name), lower(first_name), contact_id",
    );
    let (lower, upper) = prefix.map(prefix_range).unwrap_or_default();
    json_rows::fetch(
        conn,
        sqlx::query_as(&sql)
            .bind(organization_id)
            .bind(except_user_id)
            .bind(lower)
            .bind(limit)
            .bind(offset)
            .bind(upper),
    )
    .await
}

/// What the contact's Details tab shows and edits (ADM-3).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ContactDetailsRow {
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub marketing: Option<String>,
}

pub async fn details(conn: &mut AnyConnection, contact_id: &str) -> Result<Option<ContactDetailsRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.job_title, \
           (SELECT e.address FROM email_addresses e WHERE e.person_id = c.person_id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
           (SELECT f.number FROM phones f WHERE f.person_id = c.person_id ORDER BY f.is_primary DESC, f.created_at LIMIT 1) AS phone, \
           (SELECT cp.value FROM contact_preferences cp WHERE cp.person_id = c.person_id AND cp.preference = 'marketing_opt_in') AS marketing \
         FROM contacts c WHERE c.id = $1",
    )
    .bind(contact_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// ADM-3: the contact's job title and status.
pub async fn update_contact(
    conn: &mut AnyConnection,
    contact_id: &str,
    job_title: Option<&str>,
    status: RecordStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET job_title = $1, status = $2, updated_at = $3 WHERE id = $4")
        .bind(job_title)
        .bind(status.to_string())
        .bind(now_ms)
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// ADM-3: the person's name.
pub async fn rename_person(
    conn: &mut AnyConnection,
    person_id: &str,
    first_name: &str,
    last_name: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE persons SET first_name = $1, last_name = $2, updated_at = $3 WHERE id = $4")
        .bind(first_name)
        .bind(last_name)
        .bind(now_ms)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// ADM-3: an administrator sets the person's primary e-mail address directly (audited; the
/// old address stays as a secondary one). A no-op when it already is the primary address.
pub async fn set_primary_email(
    conn: &mut AnyConnection,
    person_id: &str,
    address: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    let existing: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM email_addresses WHERE person_id = $1 AND lower(address) = lower($2) ORDER BY is_primary DESC LIMIT 1",
    )
    .bind(person_id)
    .bind(address)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("UPDATE email_addresses SET is_primary = 0 WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    match existing {
        Some((id,)) => {
            sqlx::query("UPDATE email_addresses SET is_primary = 1 WHERE id = $1").bind(id).execute(&mut *conn).await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO email_addresses (id, person_id, organization_id, address, is_primary, created_at) \
                 VALUES ($1, $2, NULL, $3, 1, $4)",
            )
            .bind(crate::backend::new_id())
            .bind(person_id)
            .bind(address)
            .bind(now_ms)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// ADM-3: a user's status, dates and (optionally) username.
pub async fn update_login(
    conn: &mut AnyConnection,
    user_id: &str,
    status: UserStatus,
    start_at: Option<i64>,
    end_at: Option<i64>,
    username: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET status = $1, start_at = $2, end_at = $3, username = COALESCE($4, username), \
           lower_username = COALESCE($5, lower_username), updated_at = $6 WHERE id = $7",
    )
    .bind(status.to_string())
    .bind(start_at)
    .bind(end_at)
    .bind(username)
    .bind(username.map(str::to_lowercase))
    .bind(now_ms)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
