//! The people who may decide a request's current step (APR-2, APR-3): for "approval needed" and
//! reminders (NOT-1, APR-7), and to pass a step that only the requester could decide.

use sqlx::{AnyConnection, FromRow};

use super::requests::RequestRecord;
use crate::backend::error::{parse_stored, StoreError};
use crate::domain::{ApproverKind, Permission, UserStatus};

/// A person to notify: e-mail address and first name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Recipient {
    pub email: String,
    pub first_name: String,
}

/// One eligible approver of a step; `email` is `None` when they have no address to write to.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StepApprover {
    pub user_id: String,
    pub email: Option<String>,
    pub first_name: String,
}

impl StepApprover {
    pub fn recipient(&self) -> Option<Recipient> {
        self.email.clone().map(|email| Recipient { email, first_name: self.first_name.clone() })
    }
}

const RECIPIENT: &str = "(SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1)";

/// An active, unreleased user whose access is in force at $N (LOG-2).
fn active_user(now: &str) -> String {
    format!(
        "u.status = '{}' AND u.released_at IS NULL AND (u.start_at IS NULL OR u.start_at <= {now}) \
         AND (u.end_at IS NULL OR u.end_at >= {now})",
        <&'static str>::from(UserStatus::Active)
    )
}

/// The user holds `permission` ($N) through a role in force at `now` ($M).
fn holds(permission: &str, now: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id \
         WHERE ur.user_id = u.id AND rp.permission_code = {permission} \
           AND (ur.start_at IS NULL OR ur.start_at <= {now}) AND (ur.end_at IS NULL OR ur.end_at >= {now}))"
    )
}

/// Who decides the request's current step: its approver kind, or the universal approver once
/// the request went past its last step (APR-7).
async fn current_step(
    conn: &mut AnyConnection,
    request: &RequestRecord,
) -> Result<(ApproverKind, Option<String>, Option<String>), StoreError> {
    if request.rerouted_to_universal {
        return Ok((ApproverKind::Universal, None, None));
    }
    let step: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT approver_kind, approver_user_id, approval_group_id FROM approval_steps \
         WHERE definition_id = $1 AND position = $2",
    )
    .bind(request.definition_id.as_deref().unwrap_or(""))
    .bind(request.current_step)
    .fetch_optional(&mut *conn)
    .await?;
    match step {
        Some((kind, user, group)) => Ok((parse_stored("approver kind", &kind)?, user, group)),
        None => Ok((ApproverKind::Universal, None, None)),
    }
}

/// Everyone who may decide the request's current step now (APR-2), the requester included
/// (the caller decides what to do about them), at most 100. The universal approver counts only
/// while they are an active merchant admin.
pub async fn step_approvers(
    conn: &mut AnyConnection,
    request: &RequestRecord,
    universal_approver_id: Option<&str>,
    now_ms: i64,
) -> Result<Vec<StepApprover>, StoreError> {
    let (kind, user, group) = current_step(conn, request).await?;
    let select = format!(
        "SELECT u.id AS user_id, {RECIPIENT} AS email, p.first_name FROM users u JOIN persons p ON p.id = u.person_id"
    );
    let org = request.organization_id.clone().unwrap_or_default();
    let query = match kind {
        ApproverKind::PrimaryUsers => {
            let sql = format!(
                "{select} WHERE u.organization_id = $1 AND {} AND {} ORDER BY u.id LIMIT 100",
                active_user("$3"),
                holds("$2", "$3")
            );
            sqlx::query_as::<_, StepApprover>(&sql)
                .bind(org)
                .bind(<&'static str>::from(Permission::PendingApprovals))
                .bind(now_ms)
                .fetch_all(&mut *conn)
                .await?
        }
        ApproverKind::User => {
            let sql = format!("{select} WHERE u.id = $1 AND {}", active_user("$2"));
            sqlx::query_as::<_, StepApprover>(&sql)
                .bind(user.unwrap_or_default())
                .bind(now_ms)
                .fetch_all(&mut *conn)
                .await?
        }
        ApproverKind::Group => {
            let sql = format!(
                "{select} JOIN approval_group_members m ON m.user_id = u.id JOIN approval_groups g ON g.id = m.group_id \
                 WHERE m.group_id = $1 AND u.organization_id = $2 AND (g.organization_id IS NULL OR g.organization_id = $2) \
                   AND {} AND {} ORDER BY u.id LIMIT 100",
                active_user("$4"),
                holds("$3", "$4")
            );
            sqlx::query_as::<_, StepApprover>(&sql)
                .bind(group.unwrap_or_default())
                .bind(org)
                .bind(<&'static str>::from(Permission::PendingApprovalsGroup))
                .bind(now_ms)
                .fetch_all(&mut *conn)
                .await?
        }
        ApproverKind::Universal => {
            let Some(universal) = universal_approver_id else { return Ok(Vec::new()) };
            let sql = format!("{select} WHERE u.id = $1 AND u.is_merchant_admin = 1 AND {}", active_user("$2"));
            sqlx::query_as::<_, StepApprover>(&sql).bind(universal).bind(now_ms).fetch_all(&mut *conn).await?
        }
    };
    Ok(query)
}
