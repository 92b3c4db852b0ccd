//! Pending Approvals (APR-4 … APR-9): the queue, and approve/reject, for a company's approvers
//! under `/admin` and for merchant admins under `/console` (APR-8).

pub mod decide;
pub mod queue;

use serde::{Deserialize, Serialize};

/// Which queue: a company approver's (`/admin/approvals`) or the merchant's (`/console/approvals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Company,
    Merchant,
}

impl Scope {
    pub fn base(self) -> &'static str {
        match self {
            Scope::Company => "/admin/approvals",
            Scope::Merchant => "/console/approvals",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEntry {
    pub id: String,
    pub name: String,
    pub username: String,
    pub email: String,
    pub user_type: String,
    pub company: String,
    pub request_type: String,
    pub submitted_at: String,
    pub step: String,
    pub last_comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPage {
    pub entries: Vec<PendingEntry>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOption {
    pub id: String,
    pub account_number: String,
    pub is_company_primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub entry: PendingEntry,
    pub accounts: Vec<AccountOption>,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{PendingEntry, Scope};
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::authz::Approver;
    use crate::backend::store::approvals::PendingRow;
    use crate::backend::AppState;
    use crate::domain::RequestKind;

    /// The approver capability for this request's caller, or Forbidden/Unauthenticated.
    pub async fn approver(scope: Scope) -> Result<(AppState, Approver), AppError> {
        let caller = crate::api::capability::caller().await?;
        let approver = match scope {
            Scope::Company => caller.company_approver(),
            Scope::Merchant => caller.merchant_approver(),
        };
        Ok((state()?, approver.map_err(|e| to_app_error(e, reference()))?))
    }

    pub fn entry(row: PendingRow) -> PendingEntry {
        PendingEntry {
            id: row.id,
            name: format!("{} {}", row.first_name, row.last_name),
            username: row.username,
            email: row.email.unwrap_or_default(),
            user_type: row.user_type.unwrap_or_default(),
            company: row.company.unwrap_or_default(),
            request_type: match row.kind {
                RequestKind::Enrollment => {
                    format!("{}{}", row.kind.label(), row.enrollment.map(|e| format!(": {e}")).unwrap_or_default())
                }
                RequestKind::Registration => row.kind.label().to_owned(),
            },
            submitted_at: crate::backend::clock::format_ms(row.submitted_at)
                .replace('T', " ")
                .chars()
                .take(16)
                .collect(),
            step: format!("{} of {}", row.current_step, row.step_count.max(1)),
            last_comment: row.last_comment,
        }
    }
}
