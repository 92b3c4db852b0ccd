//! Capabilities (STYLE.md "Authorization is a value"): built only here, after checking the
//! session's user against the database on every request (a revoked role counts at once).

use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::users;

/// A signed-in user whose access is currently active (LOG-2 re-checked per request).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub organization_id: Option<String>,
    pub is_merchant_admin: bool,
    pub must_change_password: bool,
}

pub async fn current_user(state: &AppState, user_id: &str) -> Result<Option<CurrentUser>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let Some(u) = users::find_session_user(&mut conn, user_id).await? else { return Ok(None) };
    let now = state.now_ms();
    let active = u.status == "active"
        && u.start_at.is_none_or(|s| s <= now)
        && u.end_at.is_none_or(|e| e >= now);
    if !active {
        return Ok(None);
    }
    Ok(Some(CurrentUser {
        id: u.id,
        username: u.username,
        first_name: u.first_name,
        last_name: u.last_name,
        organization_id: u.organization_id,
        is_merchant_admin: u.is_merchant_admin != 0,
        must_change_password: u.must_change_password != 0,
    }))
}
