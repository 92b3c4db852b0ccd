//! CON-7 (OAA-6): merchant admins import existing customers from CSV. A preview reads the file
//! and changes nothing; a commit refuses a file with any bad row, and otherwise writes every new
//! row in one transaction with one audit row (CON-5). Rows an earlier import brought in (same
//! kind and external id) are skipped, so importing the same file again changes nothing.

mod plan;
mod write;

use serde_json::json;
use sqlx::AnyConnection;

use self::plan::Plan;
use crate::backend::authz::MerchantAdmin;
use crate::backend::error::ServiceError;
use crate::backend::new_id;
use crate::backend::state::AppState;
use crate::backend::store::audit::{self, Actor, AuditEntry};
use crate::domain::customer_import::{self, ImportReport};

/// What the file would do: counts per kind (new / unchanged) and every bad row.
pub async fn preview(state: &AppState, _admin: &MerchantAdmin, file: &[u8]) -> Result<ImportReport, ServiceError> {
    let parsed = customer_import::parse(file);
    let mut conn = state.db.pool().acquire().await?;
    Ok(Plan::make(&mut conn, parsed).await?.report(false))
}

/// Imports the file, or refuses it (nothing written) when any row is bad.
pub async fn commit(state: &AppState, admin: &MerchantAdmin, file: &[u8]) -> Result<ImportReport, ServiceError> {
    let parsed = customer_import::parse(file);
    let mut tx = state.db.begin().await?;
    let report = import(&mut tx, Actor::User(admin.user_id()), parsed, state.now_ms()).await?;
    if report.committed {
        tx.commit().await?;
    }
    Ok(report)
}

/// The commit inside the caller's transaction (the demo data of OPS-6 comes through here too).
/// `committed` is false, and nothing is written, when the file has a bad row.
pub(crate) async fn import(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    parsed: customer_import::ParsedImport,
    now: i64,
) -> Result<ImportReport, ServiceError> {
    let plan = Plan::make(conn, parsed).await?;
    if plan.has_bad_rows() {
        return Ok(plan.report(false));
    }
    let report = plan.report(true);
    if report.new_rows() == 0 {
        return Ok(report);
    }
    plan.write(conn, now).await?;
    let counts = json!(report
        .counts
        .iter()
        .map(|c| (c.kind.to_string(), json!({ "new": c.new, "unchanged": c.unchanged })))
        .collect::<serde_json::Map<_, _>>())
    .to_string();
    let entry = AuditEntry {
        actor,
        action: "customers.imported",
        subject_type: "customer_import",
        subject_id: &new_id(),
        before: None,
        after: Some(&counts),
        justification: None,
    };
    audit::append(conn, &entry, now).await?;
    Ok(report)
}
