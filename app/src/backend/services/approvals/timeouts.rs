//! APR-7: a step waiting longer than `approval_timeout_minutes` reminds its approvers and moves
//! on (next step, or the universal approver after the last one). Run by a background job in
//! every server instance: requests are leased first, so no two instances handle one.

use crate::backend::clock::MINUTE_MS;
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::services::approval_steps::notify_approvers;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::approvers::{self, StepApprover};
use crate::backend::store::requests;
use crate::backend::store::users;
use crate::domain::{Decision, Language, RequestStatus};

const LEASE_MS: i64 = 5 * MINUTE_MS;
const BATCH: i64 = 50;

/// Moves every timed-out request on; answers how many moved.
pub async fn reroute_timed_out(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.now_ms();
    let settings = {
        let mut conn = state.db.pool().acquire().await?;
        Settings::load(&mut conn).await?
    };
    if settings.approval_timeout_minutes <= 0 {
        return Ok(0);
    }
    let timeout_ms = settings.approval_timeout_minutes * MINUTE_MS;
    let ids = {
        let mut tx = state.db.begin().await?;
        let ids = requests::claim_timed_out(&mut tx, now - timeout_ms, now, LEASE_MS, BATCH).await?;
        tx.commit().await?;
        ids
    };
    let brand = Brand::new(&settings, &state.config.public_url);
    let mut moved = 0;
    for id in ids {
        let mut tx = state.db.begin().await?;
        let Some(request) = requests::find(&mut tx, &id).await? else { continue };
        match request.status {
            RequestStatus::Pending => {}
            RequestStatus::Approved | RequestStatus::Rejected => continue,
        }
        let user = users::profile(&mut tx, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
        let requester = format!("{} {}", user.first_name, user.last_name);
        let approvers =
            approvers::step_approvers(&mut tx, &request, settings.universal_approver_id.as_deref(), now).await?;
        // The requester is never reminded of their own request.
        let others = approvers.iter().filter(|a| a.user_id != request.user_id);
        for approver in others.filter_map(StepApprover::recipient) {
            let message = mail::approval_reminder(
                &brand,
                Language::English,
                &approver.email,
                &approver.first_name,
                &requester,
                settings.approval_timeout_minutes,
            );
            mail::enqueue(&mut tx, &message, now).await?;
        }
        if !requests::move_on(&mut tx, &request, now).await? {
            continue; // decided meanwhile: the transaction is dropped, nothing is sent
        }
        requests::record_decision(&mut tx, &id, request.current_step, Decision::Rerouted, None, None, now).await?;
        let rerouted = requests::find(&mut tx, &id).await?.ok_or(ServiceError::NotFound)?;
        notify_approvers(&mut tx, &brand, &settings, &rerouted, now).await?;
        tx.commit().await?;
        moved += 1;
    }
    Ok(moved)
}
