//! Organizations (customer companies) and contacts, a person's relationship to one.

use sqlx::{AnyConnection, FromRow};

use crate::backend::new_id;

#[derive(Debug, Clone, FromRow)]
pub struct OrganizationRecord {
    pub id: String,
    pub registry_id: String,
    pub name: String,
    pub is_partner: i64,
    pub status: String,
}

pub async fn find_by_registry_id(conn: &mut AnyConnection, registry_id: &str) -> Result<Option<OrganizationRecord>, sqlx::Error> {
    sqlx::query_as("SELECT id, registry_id, name, is_partner, status FROM organizations WHERE registry_id = $1")
        .bind(registry_id)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn insert_contact(
    conn: &mut AnyConnection,
    person_id: &str,
    organization_id: &str,
    kind: &str,
    job_title: Option<&str>,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO contacts (id, person_id, organization_id, kind, job_title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(organization_id)
    .bind(kind)
    .bind(job_title)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}
