//! Integration users (CON-4): a client ID, a hashed client secret, a status, and their groups —
//! admin groups are API-2 scopes, sales groups are organization ids (`integration_user_groups`).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::integration::{ApiScope, IntegrationGroupKind};
use crate::domain::RecordStatus;

/// An integration user as the console and the API's capability see it (never its secret hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationRecord {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub status: RecordStatus,
    /// Sorted.
    pub scopes: Vec<ApiScope>,
    /// Organization ids, sorted; none = every organization.
    pub organizations: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct IntegrationRow {
    id: String,
    client_id: String,
    name: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    client_id: &str,
    name: &str,
    secret_hash: &str,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO integration_users (id, client_id, name, secret_hash, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(client_id)
    .bind(name)
    .bind(secret_hash)
    .bind(RecordStatus::Active.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Replaces the integration user's admin groups (scopes) and sales groups (organizations).
pub async fn set_groups(
    conn: &mut AnyConnection,
    id: &str,
    scopes: &[ApiScope],
    organizations: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM integration_user_groups WHERE integration_user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let groups = scopes
        .iter()
        .map(|s| (IntegrationGroupKind::Admin, s.to_string()))
        .chain(organizations.iter().map(|o| (IntegrationGroupKind::Sales, o.clone())));
    for (kind, name) in groups {
        sqlx::query(
            "INSERT INTO integration_user_groups (integration_user_id, group_kind, group_name) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(kind.to_string())
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn groups_of(conn: &mut AnyConnection, id: &str) -> Result<(Vec<ApiScope>, Vec<String>), StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT group_kind, group_name FROM integration_user_groups WHERE integration_user_id = $1 \
         ORDER BY group_kind, group_name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let (mut scopes, mut organizations) = (Vec::new(), Vec::new());
    for (kind, name) in rows {
        match parse_stored::<IntegrationGroupKind>("integration group kind", &kind)? {
            // A scope this version does not know (written by a newer one) grants nothing here.
            IntegrationGroupKind::Admin => scopes.extend(name.parse::<ApiScope>().ok()),
            IntegrationGroupKind::Sales => organizations.push(name),
        }
    }
    scopes.sort();
    Ok((scopes, organizations))
}

async fn with_groups(conn: &mut AnyConnection, row: IntegrationRow) -> Result<IntegrationRecord, StoreError> {
    let (scopes, organizations) = groups_of(conn, &row.id).await?;
    Ok(IntegrationRecord {
        status: parse_stored("integration user status", &row.status)?,
        id: row.id,
        client_id: row.client_id,
        name: row.name,
        scopes,
        organizations,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<IntegrationRecord>, StoreError> {
    let row: Option<IntegrationRow> = sqlx::query_as(
        "SELECT id, client_id, name, status, created_at, updated_at FROM integration_users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(Some(with_groups(conn, row).await?)),
        None => Ok(None),
    }
}

/// What the token request checks (API-1): the id, the secret's hash and the status.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    pub id: String,
    pub secret_hash: String,
    pub status: RecordStatus,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

pub async fn credentials(conn: &mut AnyConnection, client_id: &str) -> Result<Option<ClientCredentials>, StoreError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, secret_hash, status FROM integration_users WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(id, secret_hash, status)| {
        Ok(ClientCredentials { id, secret_hash, status: parse_stored("integration user status", &status)? })
    })
    .transpose()
}

/// One row of the console's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationSummary {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub status: RecordStatus,
    pub scopes: i64,
    pub organizations: i64,
}

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    client_id: String,
    name: String,
    status: String,
    scopes: i64,
    organizations: i64,
}

/// A page of integration users by Client ID, after `after` (keyset on the unique client_id).
pub async fn list(
    conn: &mut AnyConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<IntegrationSummary>, StoreError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT i.id, i.client_id, i.name, i.status, \
           (SELECT COUNT(*) FROM integration_user_groups g WHERE g.integration_user_id = i.id AND g.group_kind = 'admin') AS scopes, \
           (SELECT COUNT(*) FROM integration_user_groups g WHERE g.integration_user_id = i.id AND g.group_kind = 'sales') AS organizations \
         FROM integration_users i WHERE i.client_id > $1 ORDER BY i.client_id LIMIT $2",
    )
    .bind(after.unwrap_or(""))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(IntegrationSummary {
                status: parse_stored("integration user status", &r.status)?,
                id: r.id,
                client_id: r.client_id,
                name: r.name,
                scopes: r.scopes,
                organizations: r.organizations,
            })
        })
        .collect()
}

pub async fn rename(conn: &mut AnyConnection, id: &str, name: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE integration_users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sets the status; answers whether it changed (false: it already had it).
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    status: RecordStatus,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE integration_users SET status = $1, updated_at = $2 WHERE id = $3 AND status <> $1")
        .bind(status.to_string())
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_secret_hash(conn: &mut AnyConnection, id: &str, hash: &str, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE integration_users SET secret_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The only literals in this module's SQL are the stored group kinds.
    // covers: CON-4
    #[test]
    fn group_kinds_are_stored_vocabulary() {
        assert_eq!(IntegrationGroupKind::Admin.to_string(), "admin");
        assert_eq!(IntegrationGroupKind::Sales.to_string(), "sales");
    }
}
