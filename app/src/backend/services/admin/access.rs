//! What the access tabs of a contact (ADM-4 Roles, ADM-5 Sites, ADM-6 Accounts) share: the
//! login they change, found within the administrator's organization, and the audit row of each
//! change (CON-5).

use sqlx::AnyConnection;

use super::{not_the_caller, require, subject};
use crate::backend::authz::CompanyAdmin;
use crate::backend::error::{ServiceError, StoreError};
use crate::backend::store::addresses::{lock_owner, Owner};
use crate::backend::store::audit;
use crate::backend::store::contacts::{Subject, SubjectUser};
use crate::domain::Permission;

/// The contact `contact_id` of the admin's organization and their login, for a tab that needs
/// `permission` beside MANAGE_CONTACTS. A contact without a login has no access tabs: NotFound.
pub async fn login_of(
    conn: &mut AnyConnection,
    admin: &CompanyAdmin,
    contact_id: &str,
    permission: Permission,
) -> Result<(Subject, SubjectUser), ServiceError> {
    require(admin, Permission::ManageContacts)?;
    require(admin, permission)?;
    let subject = subject(conn, admin, contact_id).await?;
    let user = subject.user.clone().ok_or(ServiceError::NotFound)?;
    Ok((subject, user))
}

/// As [`login_of`], for a change: inside the change's transaction, with the organization's row
/// locked first (so two administrators' changes run one after the other and the last-
/// administrator check sees the other's), and never the caller's own login (OwnAccess).
pub async fn login_to_change(
    conn: &mut AnyConnection,
    admin: &CompanyAdmin,
    contact_id: &str,
    permission: Permission,
) -> Result<(Subject, SubjectUser), ServiceError> {
    require(admin, Permission::ManageContacts)?;
    require(admin, permission)?;
    lock_owner(conn, Owner::Organization(admin.organization_id())).await?;
    let (subject, user) = login_of(conn, admin, contact_id, permission).await?;
    not_the_caller(admin, &subject)?;
    Ok((subject, user))
}

/// The audit row of a change of `user`'s access: `action` like `user.role_granted`.
pub async fn audit_change(
    conn: &mut AnyConnection,
    admin: &CompanyAdmin,
    action: &str,
    user: &SubjectUser,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let before = before.map(|v| v.to_string());
    let after = after.map(|v| v.to_string());
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action,
        subject_type: "user",
        subject_id: &user.id,
        before: before.as_deref(),
        after: after.as_deref(),
        justification: None,
    };
    audit::append(conn, &entry, now_ms).await
}
