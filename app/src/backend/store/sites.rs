//! The merchant's specialty sites and a user's access to them (ADM-5). Sites belong to the
//! merchant, not to a company: every company's administrators see the same active sites.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::StoreError;

/// The merchant has a handful of specialty sites; a page lists at most this many.
pub const MAX_SITES: i64 = 200;

/// An active site and whether `user_id` may use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteAccess {
    pub id: String,
    pub name: String,
    /// The role whose holders get the site at activation (ADM-5), by name.
    pub required_role: Option<String>,
    pub assigned: bool,
}

#[derive(FromRow)]
struct SiteRow {
    id: String,
    name: String,
    required_role: Option<String>,
    assigned: i64,
}

/// The active sites by name, each with whether `user_id` has access.
pub async fn active_for(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<SiteAccess>, StoreError> {
    let rows: Vec<SiteRow> = sqlx::query_as(
        "SELECT s.id, s.name, r.name AS required_role, \
           (SELECT COUNT(*) FROM user_sites us WHERE us.user_id = $1 AND us.site_id = s.id) AS assigned \
         FROM sites s LEFT JOIN roles r ON r.id = s.required_role_id \
         WHERE s.is_active = 1 ORDER BY s.name, s.id LIMIT $2",
    )
    .bind(user_id)
    .bind(MAX_SITES)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SiteAccess { id: r.id, name: r.name, required_role: r.required_role, assigned: r.assigned > 0 })
        .collect())
}

/// The active site `site_id`'s name, or `None` (unknown or inactive).
pub async fn active_name(conn: &mut AnyConnection, site_id: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM sites WHERE id = $1 AND is_active = 1")
        .bind(site_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(name,)| name))
}

/// Gives `user_id` the site; whether it was new.
pub async fn assign(conn: &mut AnyConnection, user_id: &str, site_id: &str, now_ms: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO user_sites (user_id, site_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, site_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(site_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes the site away from `user_id`; whether they had it.
pub async fn remove(conn: &mut AnyConnection, user_id: &str, site_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM user_sites WHERE user_id = $1 AND site_id = $2")
        .bind(user_id)
        .bind(site_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Gives `user_id` the active sites that require `role_id` (ADM-5: a role granted brings its
/// sites; sites removed earlier for other roles stay removed). How many were new.
pub async fn assign_for_role(
    conn: &mut AnyConnection,
    user_id: &str,
    role_id: &str,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO user_sites (user_id, site_id, created_at) \
         SELECT $1, s.id, $3 FROM sites s WHERE s.required_role_id = $2 AND s.is_active = 1 \
         ON CONFLICT (user_id, site_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(role_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
