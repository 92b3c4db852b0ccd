//! The append-only audit log (CON-5). This module is the only code that touches `audit_log`,
//! and it has no UPDATE or DELETE: an entry, once written, stays as written.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::backend::new_id;

/// Who made a change: a signed-in user, an integration user of the JSON API (API-6), or the
/// product itself (a job applying a scheduled change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    User(&'a str),
    Integration(&'a str),
    System,
}

pub struct AuditEntry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub justification: Option<&'a str>,
}

pub async fn append(conn: &mut AnyConnection, entry: &AuditEntry<'_>, now_ms: i64) -> Result<(), StoreError> {
    let (user, integration) = match entry.actor {
        Actor::User(id) => (Some(id), None),
        Actor::Integration(id) => (None, Some(id)),
        Actor::System => (None, None),
    };
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_integration_id, action, subject_type, subject_id, \
         before_value, after_value, justification) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(now_ms)
    .bind(user)
    .bind(integration)
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

/// One entry as the console shows it: the actor by name (a username or an integration's client
/// ID), the rest as written.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor: Option<String>,
    pub actor_kind: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub justification: Option<String>,
}

/// What the console's search narrows the log to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An action, or an action prefix ending in `.` (`user.`).
    pub action: Option<String>,
    /// A subject's id (a user, a request, an organization…).
    pub subject_id: Option<String>,
    /// The acting user's username or the acting integration's client ID (case-insensitive).
    pub actor: Option<String>,
    /// Entries strictly older than this (keyset paging: `at`, then `id`).
    pub before: Option<(i64, String)>,
}

/// A page of the log, newest first, walking `audit_log_at` (or the subject index).
pub async fn search(conn: &mut AnyConnection, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    let mut sql = String::from(
        "SELECT a.id, a.at, COALESCE(u.username, i.client_id) AS actor, \
         CASE WHEN a.actor_user_id IS NOT NULL THEN 'user' \
              WHEN a.actor_integration_id IS NOT NULL THEN 'integration' ELSE 'system' END AS actor_kind, \
         a.action, a.subject_type, a.subject_id, a.before_value, a.after_value, a.justification \
         FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_user_id \
         LEFT JOIN integration_users i ON i.id = a.actor_integration_id WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    let next = |binds: &mut Vec<String>, value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        if let Some(prefix) = action.strip_suffix('.') {
            let (lo, hi) = (format!("{prefix}."), format!("{prefix}/"));
            let (a, b) = (next(&mut binds, lo), next(&mut binds, hi));
            sql.push_str(&format!(" AND a.action >= {a} AND a.action < {b}"));
        } else {
            let a = next(&mut binds, action.to_owned());
            sql.push_str(&format!(" AND a.action = {a}"));
        }
    }
    if let Some(subject) = filter.subject_id.as_deref().filter(|s| !s.is_empty()) {
        let a = next(&mut binds, subject.to_owned());
        sql.push_str(&format!(" AND a.subject_id = {a}"));
    }
    if let Some(actor) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
        let a = next(&mut binds, actor.to_lowercase());
        sql.push_str(&format!(" AND (u.lower_username = {a} OR lower(i.client_id) = {a})"));
    }
    if let Some((at, id)) = &filter.before {
        // Times are integers the server made, never user text: written into the SQL.
        let b = next(&mut binds, id.clone());
        sql.push_str(&format!(" AND (a.at < {at} OR (a.at = {at} AND a.id < {b}))"));
    }
    sql.push_str(&format!(" ORDER BY a.at DESC, a.id DESC LIMIT {}", limit.clamp(1, 500)));
    let mut query = sqlx::query_as::<_, AuditRow>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    Ok(query.fetch_all(&mut *conn).await?)
}
