//! A request arriving at a step (on submission, after a step's approval, after a timeout):
//! nobody decides their own request, so a step only the requester could decide is passed
//! (APR-2), and the step's approvers are told (NOT-1). Registration, enrollments and approvals
//! all call [`notify_approvers`]; it depends on none of them.

use sqlx::AnyConnection;

use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::settings::Settings;
use crate::backend::store::approvers::{self, StepApprover};
use crate::backend::store::requests::{self, RequestRecord};
use crate::backend::store::{organizations, user_types, users};
use crate::domain::{ConflictCode, Decision, Language};

/// The approvers of the request's current step other than the requester, after passing every
/// step whose only approver is the requester — on to the next step, or past the last one to the
/// universal approver, as a timeout would (APR-7). Returns the request as it now stands.
async fn settle_step(
    conn: &mut AnyConnection,
    settings: &Settings,
    request: &RequestRecord,
    now: i64,
) -> Result<(RequestRecord, Vec<StepApprover>), ServiceError> {
    let mut request = request.clone();
    loop {
        let eligible =
            approvers::step_approvers(conn, &request, settings.universal_approver_id.as_deref(), now).await?;
        let only_the_requester = !eligible.is_empty() && eligible.iter().all(|a| a.user_id == request.user_id);
        if !only_the_requester || request.rerouted_to_universal {
            let others = eligible.into_iter().filter(|a| a.user_id != request.user_id).collect();
            return Ok((request, others));
        }
        // Inside the caller's transaction the request is as just read or written, so the guard
        // only fails when someone decided meanwhile.
        if !requests::move_on(conn, &request, now).await? {
            return Err(ServiceError::Conflict(ConflictCode::AlreadyDecided));
        }
        requests::record_decision(conn, &request.id, request.current_step, Decision::Rerouted, None, None, now).await?;
        request = requests::find(conn, &request.id).await?.ok_or(ServiceError::NotFound)?;
    }
}

/// "Approval needed" to each approver of the request's current step but the requester (NOT-1),
/// once steps only the requester could decide are passed.
pub(crate) async fn notify_approvers(
    conn: &mut AnyConnection,
    brand: &Brand,
    settings: &Settings,
    request: &RequestRecord,
    now: i64,
) -> Result<(), ServiceError> {
    let (request, approvers) = settle_step(conn, settings, request, now).await?;
    let user = users::profile(conn, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
    let user_type = match &request.user_type_id {
        Some(id) => user_types::short_name(conn, id).await?.unwrap_or_default(),
        None => String::new(),
    };
    let company = match &request.organization_id {
        Some(org) => organizations::name_and_registry_id(conn, org).await?.map(|(n, _)| n),
        None => None,
    };
    for approver in approvers.iter().filter_map(StepApprover::recipient) {
        let message = mail::approval_needed(
            brand,
            Language::English,
            &approver.email,
            &approver.first_name,
            &format!("{} {}", user.first_name, user.last_name),
            &user.username,
            &user_type,
            company.as_deref(),
        );
        mail::enqueue(conn, &message, now).await?;
    }
    Ok(())
}
