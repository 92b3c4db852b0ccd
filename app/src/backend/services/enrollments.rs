//! APR-10: enrollments are add-on services (each grants roles) that users request during or
//! after registration. One without an approval definition is granted at once; one with a
//! definition waits in the same queue as registrations (listed once the user is approved).

use super::approval_steps::notify_approvers;
use crate::backend::error::ServiceError;
use crate::backend::mail::Brand;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::{requests, roles, users};
use crate::domain::{RequestKind, UserStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolled {
    Granted,
    Pending { request_id: String },
}

pub async fn request_enrollment(
    state: &AppState,
    user_id: &str,
    enrollment_key: &str,
) -> Result<Enrolled, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let enrollment = roles::find_enrollment(&mut tx, enrollment_key).await?.ok_or(ServiceError::NotFound)?;
    let user = users::find_account(&mut tx, user_id).await?.ok_or(ServiceError::NotFound)?;
    let Some(definition_id) = enrollment.approval_definition_id else {
        for role_id in roles::enrollment_role_ids(&mut tx, &enrollment.id).await? {
            roles::grant(&mut tx, user_id, &role_id, None, now).await?;
        }
        roles::grant_sites_for_roles(&mut tx, user_id, now).await?;
        tx.commit().await?;
        return Ok(Enrolled::Granted);
    };
    let step_count = requests::step_count(&mut tx, &definition_id).await?;
    let request_id = requests::insert(
        &mut tx,
        &requests::NewRequest {
            kind: RequestKind::Enrollment,
            user_id,
            organization_id: user.organization_id.as_deref(),
            user_type_id: None,
            enrollment_id: Some(&enrollment.id),
            definition_id: &definition_id,
            step_count,
            is_partial: false,
            is_online_access: false,
            created_person_id: None,
            created_contact_id: None,
            created_organization_id: None,
        },
        now,
    )
    .await?;
    // Approvers hear of it only once the user's own registration is approved (APR-4): then
    // `approvals::approve` tells them.
    match user.access.status {
        UserStatus::Active => {
            let settings = Settings::load(&mut tx).await?;
            let brand = Brand::new(&settings, &state.config.public_url);
            let request = requests::find(&mut tx, &request_id).await?.ok_or(ServiceError::NotFound)?;
            notify_approvers(&mut tx, &brand, &settings, &request, now).await?;
        }
        UserStatus::Pending | UserStatus::Inactive | UserStatus::Rejected | UserStatus::Deleted => {}
    }
    tx.commit().await?;
    Ok(Enrolled::Pending { request_id })
}
