//! CON-2: the merchant's settings. Every change is audited (CON-5) and read by the next request
//! (the shared copy of `Settings::cached` is dropped when the change commits).

use std::collections::BTreeMap;

use serde_json::json;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::ServiceError;
use crate::backend::settings;
use crate::backend::state::AppState;
use crate::backend::store::audit::{self, AuditEntry};
use crate::backend::store::user_types::Choice;
use crate::domain::settings_form::{SettingKind, SETTINGS};

/// The stored values (a setting not stored is at its default) and the merchant admins who can
/// be the universal approver.
pub struct SettingsView {
    pub stored: BTreeMap<String, String>,
    pub approvers: Vec<Choice>,
}

pub async fn view(state: &AppState, _admin: &MerchantAdmin) -> Result<SettingsView, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let stored = settings::stored(&mut conn).await?.into_iter().collect();
    let approvers = merchant_admins(&mut conn).await?;
    Ok(SettingsView { stored, approvers })
}

/// Saves the validated values; answers how many changed.
pub async fn save(
    state: &AppState,
    admin: &MerchantAdmin,
    values: &[(&'static str, String)],
) -> Result<usize, ServiceError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let approvers = merchant_admins(&mut tx).await?;
    let stored: BTreeMap<String, String> = settings::stored(&mut tx).await?.into_iter().collect();
    let mut changed = 0;
    for (key, value) in values {
        let spec = SETTINGS.iter().find(|s| s.key == *key).ok_or(ServiceError::NotFound)?;
        if spec.kind == SettingKind::Approver && !value.is_empty() && !approvers.iter().any(|a| a.id == *value) {
            return Err(ServiceError::field(key, "Choose one of the active merchant admins"));
        }
        let before = stored.get(*key).map(String::as_str).unwrap_or(spec.default);
        if before == value {
            continue;
        }
        settings::set(&mut tx, key, value, now).await?;
        let (before, after) = (json!({ "value": before }).to_string(), json!({ "value": value }).to_string());
        let entry = AuditEntry {
            actor: audit::Actor::User(admin.user_id()),
            action: "setting.changed",
            subject_type: "setting",
            subject_id: key,
            before: Some(&before),
            after: Some(&after),
            justification: None,
        };
        audit::append(&mut tx, &entry, now).await?;
        changed += 1;
    }
    tx.commit().await?;
    // A copy read between the write and the commit holds the old values.
    settings::invalidate();
    Ok(changed)
}

async fn merchant_admins(conn: &mut sqlx::AnyConnection) -> Result<Vec<Choice>, ServiceError> {
    Ok(sqlx::query_as(
        "SELECT id, username AS name FROM users WHERE is_merchant_admin = 1 AND status = 'active' \
         ORDER BY lower_username LIMIT 200",
    )
    .fetch_all(&mut *conn)
    .await?)
}
