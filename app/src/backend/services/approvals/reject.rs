//! Rejecting (APR-6) and the clean-up that follows (REJ-1 … REJ-3): the username is released at
//! once and what the registration created is inactivated, unless the setting says otherwise.

use sqlx::AnyConnection;

use super::{clean_comment, log, lost_race, open_decision};
use crate::backend::authz::Approver;
use crate::backend::error::ServiceError;
use crate::backend::mail::{self, Brand};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::requests::{self, Outcome, RequestRecord};
use crate::backend::store::{accounts, organizations, persons, users};
use crate::domain::{Language, RecordStatus, RequestKind};

/// APR-6 and REJ-1 … REJ-3: reject with comments (sent to the requester), then clean up.
pub async fn reject(
    state: &AppState,
    approver: &Approver,
    request_id: &str,
    comments: &str,
) -> Result<(), ServiceError> {
    let comment = clean_comment(comments)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settings = Settings::load(&mut tx).await?;
    let request = open_decision(&mut tx, approver, request_id).await?;
    if !requests::close(&mut tx, &request, Outcome::Rejected, now).await? {
        return Err(lost_race());
    }
    requests::record_decision(
        &mut tx,
        request_id,
        request.current_step,
        Outcome::Rejected.decision(),
        approver.deciding_user(),
        comment.as_deref(),
        now,
    )
    .await?;
    match request.kind {
        RequestKind::Registration => clean_up_rejected_registration(&mut tx, &settings, &request, now).await?,
        // A rejected enrollment grants nothing and leaves the user as they were.
        RequestKind::Enrollment => {}
    }
    let user = users::profile(&mut tx, &request.user_id).await?.ok_or(ServiceError::NotFound)?;
    if let Some(email) = persons::primary_email(&mut tx, &user.person_id).await? {
        let brand = Brand::new(&settings, &state.config.public_url);
        let message =
            mail::rejected(&brand, Language::from_code(&user.language), &email, &user.first_name, comment.as_deref());
        mail::enqueue(&mut tx, &message, now).await?;
    }
    log(&mut tx, approver, "request.rejected", request_id, comment.as_deref(), now).await?;
    tx.commit().await?;
    Ok(())
}

async fn clean_up_rejected_registration(
    conn: &mut AnyConnection,
    settings: &Settings,
    request: &RequestRecord,
    now: i64,
) -> Result<(), ServiceError> {
    // PAR-3: a partial registration keeps its username and leaves the contact as it was.
    if request.is_partial {
        return Ok(());
    }
    users::reject_and_release(conn, &request.user_id, now).await?;
    // OAA-5 (online access) and REJ-3 (setting off): only the username is released.
    if request.is_online_access || !settings.inactivate_customer_data_on_rejection {
        return Ok(());
    }
    let inactive = RecordStatus::Inactive;
    if let Some(organization_id) = &request.created_organization_id {
        // A new company's primary user: the organization goes only if nobody else is active in it.
        let others = organizations::other_active_contacts(
            conn,
            organization_id,
            request.created_contact_id.as_deref().unwrap_or(""),
        )
        .await?;
        if others == 0 {
            organizations::set_status(conn, organization_id, inactive, now).await?;
            accounts::inactivate_of_organization(conn, organization_id).await?;
            if let Some(contact_id) = &request.created_contact_id {
                organizations::set_contact_status(conn, contact_id, inactive, now).await?;
            }
        }
    } else if let Some(contact_id) = &request.created_contact_id {
        organizations::set_contact_status(conn, contact_id, inactive, now).await?;
    } else if let Some(person_id) = &request.created_person_id {
        // A first-time individual.
        persons::set_status(conn, person_id, inactive, now).await?;
        accounts::inactivate_of_person(conn, person_id).await?;
    }
    Ok(())
}
