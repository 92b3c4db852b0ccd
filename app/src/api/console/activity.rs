//! CON-5 `/console/audit` and CON-6 `/console/outbox`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;

pub const AUDIT: &str = "/console/audit";
pub const OUTBOX: &str = "/console/outbox";
pub const AUDIT_PER_PAGE: i64 = 50;
pub const OUTBOX_PER_PAGE: i64 = 25;

/// What the audit log is narrowed to (the search form's fields) and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub action: String,
    pub subject: String,
    pub actor: String,
    /// The opaque cursor of the page (empty: the newest entries).
    pub cursor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    /// A username, an integration's client ID, or "Gatehouse" for the product itself.
    pub actor: String,
    pub actor_kind: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub justification: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditLine>,
    /// The cursor of the next (older) page, if there is one.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxLine {
    pub id: String,
    pub created_at: String,
    pub recipient: String,
    pub subject: String,
    pub template: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub entries: Vec<OutboxLine>,
    pub page: i64,
    pub has_next: bool,
}

#[server(prefix = "/rpc", endpoint = "console/audit")]
pub async fn audit_entries(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::clock::format_ms;
    use crate::backend::store::audit::AuditFilter;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let before =
        if query.cursor.is_empty() { None } else { Some(parse_cursor(&query.cursor).ok_or(AppError::NotFound)?) };
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        action: text(&query.action),
        subject_id: text(&query.subject),
        actor: text(&query.actor),
        before,
    };
    let mut rows = crate::backend::services::console::activity::audit_log(&state, &admin, &filter, AUDIT_PER_PAGE + 1)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let more = rows.len() as i64 > AUDIT_PER_PAGE;
    rows.truncate(AUDIT_PER_PAGE as usize);
    let next_cursor = more.then(|| rows.last().map(|r| format!("{}.{}", r.at, r.id))).flatten();
    Ok(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditLine {
                at: format_ms(r.at),
                actor: r.actor.unwrap_or_else(|| {
                    if r.actor_kind == "system" {
                        "Gatehouse".into()
                    } else {
                        "(removed)".into()
                    }
                }),
                actor_kind: r.actor_kind,
                action: r.action,
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                before: r.before_value,
                after: r.after_value,
                justification: r.justification,
            })
            .collect(),
        next_cursor,
    })
}

/// `{at}.{id}` of the last entry shown; anything else is no page.
#[cfg(feature = "ssr")]
fn parse_cursor(cursor: &str) -> Option<(i64, String)> {
    let (at, id) = cursor.split_once('.')?;
    let valid_id = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    Some((at.parse().ok()?, id.to_owned())).filter(|_| valid_id)
}

#[server(prefix = "/rpc", endpoint = "console/outbox")]
pub async fn outbox_entries(status: String, page: i64) -> Result<OutboxPage, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::clock::format_ms;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let page = page.clamp(0, 10_000);
    let status = Some(status.as_str()).filter(|s| !s.is_empty());
    let mut rows = crate::backend::services::console::activity::outbox(
        &state,
        &admin,
        status,
        OUTBOX_PER_PAGE + 1,
        page * OUTBOX_PER_PAGE,
    )
    .await
    .map_err(|e| to_app_error(e, reference()))?;
    let has_next = rows.len() as i64 > OUTBOX_PER_PAGE;
    rows.truncate(OUTBOX_PER_PAGE as usize);
    Ok(OutboxPage {
        entries: rows
            .into_iter()
            .map(|r| OutboxLine {
                id: r.id,
                created_at: format_ms(r.created_at),
                recipient: r.recipient,
                subject: r.subject,
                template: r.template,
                status: r.status,
                attempts: r.attempts,
                last_error: r.last_error,
                sent_at: r.sent_at.map(format_ms),
            })
            .collect(),
        page,
        has_next,
    })
}

/// CON-6: queue the failed message `id` again.
#[server(prefix = "/rpc", endpoint = "console/outbox/retry")]
pub async fn retry_message(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::console::activity::retry(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{OUTBOX}?status=failed&notice=retried"))
}
