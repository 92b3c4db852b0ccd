//! ADM-5, the Sites tab of a user (ASSIGN_SITES): the merchant's active specialty sites, each
//! assigned to the user or not. A user's initial sites are those whose required role they
//! hold (granted with the role); from then on the administrator assigns and removes them.

use serde_json::json;

use super::access::{audit_change, login_of, login_to_change};
use crate::backend::authz::CompanyAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::contacts::Subject;
use crate::backend::store::sites::{self, SiteAccess};
use crate::domain::Permission;

pub async fn user_sites(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
) -> Result<(Subject, Vec<SiteAccess>), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (subject, user) = login_of(&mut conn, admin, contact_id, Permission::AssignSites).await?;
    let list = sites::active_for(&mut conn, &user.id).await?;
    Ok((subject, list))
}

/// Gives the contact's login access to the active site `site_id` (unknown or inactive:
/// NotFound); its name. Already assigned: nothing changes.
pub async fn assign_site(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    site_id: &str,
) -> Result<String, ServiceError> {
    change(state, admin, contact_id, site_id, true).await
}

/// Takes the site away; its name. Not assigned: nothing changes.
pub async fn remove_site(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    site_id: &str,
) -> Result<String, ServiceError> {
    change(state, admin, contact_id, site_id, false).await
}

async fn change(
    state: &AppState,
    admin: &CompanyAdmin,
    contact_id: &str,
    site_id: &str,
    assign: bool,
) -> Result<String, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (_, user) = login_to_change(&mut tx, admin, contact_id, Permission::AssignSites).await?;
    let name = sites::active_name(&mut tx, site_id).await?.ok_or(ServiceError::NotFound)?;
    let changed = if assign {
        sites::assign(&mut tx, &user.id, site_id, now).await?
    } else {
        sites::remove(&mut tx, &user.id, site_id).await?
    };
    if !changed {
        return Ok(name);
    }
    let site = json!({ "site_id": site_id, "site_name": name });
    let (action, before, after) =
        if assign { ("user.site_assigned", None, Some(site)) } else { ("user.site_removed", Some(site), None) };
    audit_change(&mut tx, admin, action, &user, before, after, now).await?;
    tx.commit().await?;
    Ok(name)
}
