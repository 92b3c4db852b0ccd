//! The queue of requests the signed-in approver may decide (APR-4), paged.

use leptos::prelude::*;

use super::{PendingPage, RequestDetail, Scope};
use crate::api::error::AppError;

pub const PER_PAGE: i64 = 50;

#[server(prefix = "/rpc", endpoint = "approvals/queue")]
pub async fn pending_approvals(scope: Scope, page: i64) -> Result<PendingPage, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, approver) = super::ssr::approver(scope).await?;
    // The use case answers NotFound past `MAX_PAGE`, so no page number can overflow the offset.
    let page = page.max(0);
    // One extra row tells whether there is a next page without counting the whole queue.
    let mut rows = crate::backend::services::approvals::pending(&state, &approver, page, PER_PAGE + 1)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let has_next = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    Ok(PendingPage { entries: rows.into_iter().map(super::ssr::entry).collect(), page, has_next })
}

/// One request the approver may decide, with the company's active accounts to assign (APR-5).
#[server(prefix = "/rpc", endpoint = "approvals/request")]
pub async fn approval_request(scope: Scope, id: String) -> Result<RequestDetail, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, approver) = super::ssr::approver(scope).await?;
    let row = crate::backend::services::approvals::decidable(&state, &approver, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let accounts = crate::backend::services::approvals::assignable_accounts(&state, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(RequestDetail {
        entry: super::ssr::entry(row),
        accounts: accounts
            .into_iter()
            .map(|a| super::AccountOption {
                id: a.id,
                account_number: a.account_number,
                is_company_primary: a.is_company_primary,
            })
            .collect(),
    })
}
