//! The merchant console (SPEC §9): one module per area. Every use case takes the
//! `MerchantAdmin` capability, so none can run for a customer.

pub mod activity;
pub mod approval_setup;
pub mod catalog;
pub mod customer_import;
pub mod settings;
pub mod user_access;
pub mod user_types;
pub mod users;

use crate::backend::authz::MerchantAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;

/// `/console`: requests waiting for a decision and mail that could not be delivered.
pub async fn overview(state: &AppState, _admin: &MerchantAdmin) -> Result<(i64, i64), ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM requests WHERE status = 'pending'").fetch_one(&mut *conn).await?;
    let (failed,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'failed'").fetch_one(&mut *conn).await?;
    Ok((pending, failed))
}
