//! Company administration by primary users (SPEC §7, ADM-1 … ADM-8). Every use case takes a
//! [`CompanyAdmin`] capability and reaches only its organization (SEC-5); every change writes
//! its audit row in the same transaction (CON-5).
//!
//! Shared here: finding the person a page is about ([`subject`]) and the guard rail every
//! change of access passes before it commits ([`keeps_an_administrator`]).

pub mod access;
pub mod contacts;
pub mod roles;
pub mod user_accounts;
pub mod user_roles;
pub mod user_sites;

use sqlx::AnyConnection;

use crate::backend::authz::CompanyAdmin;
use crate::backend::error::ServiceError;
use crate::backend::store::contacts::{self as contact_store, Subject};
use crate::domain::{ConflictCode, Permission};

/// The caller must hold `permission` (the capability was made for another one, or the page
/// needs a second permission: e.g. the Roles tab needs ASSIGN_ROLES beside MANAGE_CONTACTS).
pub fn require(admin: &CompanyAdmin, permission: Permission) -> Result<(), ServiceError> {
    if admin.permissions().holds(permission) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The contact `contact_id` of the admin's own organization. Another company's id, or one that
/// does not exist, is `NotFound` — the same answer, so ids of other companies reveal nothing.
pub async fn subject(
    conn: &mut AnyConnection,
    admin: &CompanyAdmin,
    contact_id: &str,
) -> Result<Subject, ServiceError> {
    contact_store::subject(conn, admin.organization_id(), contact_id).await?.ok_or(ServiceError::NotFound)
}

/// The guard rail of ADM-4, ADM-3 and ADM-7 for changes of someone else's access: refuses the
/// caller's own login (they cannot deactivate themselves or take away their own roles here).
pub fn not_the_caller(admin: &CompanyAdmin, subject: &Subject) -> Result<(), ServiceError> {
    match &subject.user {
        Some(user) if user.id == admin.user_id() => Err(ServiceError::Conflict(ConflictCode::OwnAccess)),
        _ => Ok(()),
    }
}

/// Run inside the change's transaction, after the change and before the commit: a company is
/// never left without an active administrator (a user holding Primary User in force).
pub async fn keeps_an_administrator(
    conn: &mut AnyConnection,
    organization_id: &str,
    now_ms: i64,
) -> Result<(), ServiceError> {
    if contact_store::active_administrators(conn, organization_id, now_ms).await? > 0 {
        Ok(())
    } else {
        Err(ServiceError::Conflict(ConflictCode::LastAdministrator))
    }
}
