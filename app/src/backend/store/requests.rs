//! Requests awaiting approval (registrations and enrollments) and their decisions (APR).

use sqlx::AnyConnection;

use crate::backend::new_id;

pub struct NewRequest<'a> {
    pub kind: &'a str,
    pub user_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub user_type_id: Option<&'a str>,
    pub enrollment_id: Option<&'a str>,
    pub definition_id: &'a str,
    pub step_count: i64,
    pub is_partial: bool,
    pub is_online_access: bool,
    pub created_person_id: Option<&'a str>,
    pub created_contact_id: Option<&'a str>,
    pub created_organization_id: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, request: &NewRequest<'_>, now_ms: i64) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO requests (id, kind, user_id, organization_id, user_type_id, enrollment_id, definition_id, status, \
           current_step, step_count, step_started_at, rerouted_to_universal, is_partial, is_online_access, \
           created_person_id, created_contact_id, created_organization_id, lease_until, submitted_at, decided_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8, $9, 0, $10, $11, $12, $13, $14, NULL, $9, NULL, 0)",
    )
    .bind(&id)
    .bind(request.kind)
    .bind(request.user_id)
    .bind(request.organization_id)
    .bind(request.user_type_id)
    .bind(request.enrollment_id)
    .bind(request.definition_id)
    .bind(request.step_count)
    .bind(now_ms)
    .bind(super::flag(request.is_partial))
    .bind(super::flag(request.is_online_access))
    .bind(request.created_person_id)
    .bind(request.created_contact_id)
    .bind(request.created_organization_id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn step_count(conn: &mut AnyConnection, definition_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM approval_steps WHERE definition_id = $1")
        .bind(definition_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}
