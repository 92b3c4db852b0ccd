//! The append-only audit log (CON-5).

use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::backend::new_id;

pub struct AuditEntry<'a> {
    pub actor_user_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub justification: Option<&'a str>,
}

pub async fn append(conn: &mut AnyConnection, entry: &AuditEntry<'_>, now_ms: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, action, subject_type, subject_id, before_value, after_value, justification) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(now_ms)
    .bind(entry.actor_user_id)
    .bind(entry.action)
    .bind(entry.subject_type)
    .bind(entry.subject_id)
    .bind(entry.before)
    .bind(entry.after)
    .bind(entry.justification)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
