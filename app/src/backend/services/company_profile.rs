//! PRO-5 (the company profile: read with ORG_DETAILS, changed with UPDATE_ORG_DETAILS) and
//! PRO-6 (the company's administrators, ORG_ADMINISTRATORS). The capability names the only
//! organization reached (SEC-5).

use crate::backend::authz::CompanyAdmin;
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::organizations::{self, AdministratorRow};
use crate::backend::store::{audit, phones};
use crate::domain::{CompanyProfile, Permission};

/// PRO-6: a company has a handful of administrators; the page shows at most this many.
pub const MAX_ADMINISTRATORS: i64 = 100;

/// The company profile as stored, and whether the caller may change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyProfileView {
    pub registry_id: String,
    pub name: String,
    pub website: Option<String>,
    pub annual_revenue: Option<i64>,
    pub phone: Option<String>,
    pub editable: bool,
}

fn require(admin: &CompanyAdmin, permission: Permission) -> Result<(), ServiceError> {
    if admin.permissions().holds(permission) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

pub async fn company_profile(state: &AppState, admin: &CompanyAdmin) -> Result<CompanyProfileView, ServiceError> {
    require(admin, Permission::OrgDetails)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = organizations::profile(&mut conn, admin.organization_id()).await?.ok_or(ServiceError::NotFound)?;
    let phone = phones::of_organization(&mut conn, admin.organization_id()).await?;
    Ok(CompanyProfileView {
        registry_id: row.registry_id,
        name: row.name,
        website: row.website,
        annual_revenue: row.annual_revenue,
        phone,
        editable: admin.permissions().holds(Permission::UpdateOrgDetails),
    })
}

/// PRO-5: name, website, annual revenue and phone in one transaction, with an audit row of
/// the values before and after (CON-5). The Registry ID is not part of the input.
pub async fn update_company_profile(
    state: &AppState,
    admin: &CompanyAdmin,
    profile: &CompanyProfile,
) -> Result<(), ServiceError> {
    require(admin, Permission::UpdateOrgDetails)?;
    let now = state.now_ms();
    let organization_id = admin.organization_id();
    let mut tx = state.db.begin().await?;
    let before = organizations::profile(&mut tx, organization_id).await?.ok_or(ServiceError::NotFound)?;
    let phone_before = phones::of_organization(&mut tx, organization_id).await?;
    organizations::update_profile(
        &mut tx,
        organization_id,
        profile.name.as_str(),
        profile.website.as_deref(),
        profile.annual_revenue,
        now,
    )
    .await?;
    phones::set_organization_phone(&mut tx, organization_id, profile.phone.as_ref(), now).await?;
    let describe = |name: &str, website: Option<&str>, revenue: Option<i64>, phone: Option<&str>| {
        serde_json::json!({ "name": name, "website": website, "annual_revenue": revenue, "phone": phone }).to_string()
    };
    let before = describe(&before.name, before.website.as_deref(), before.annual_revenue, phone_before.as_deref());
    let after = describe(
        profile.name.as_str(),
        profile.website.as_deref(),
        profile.annual_revenue,
        profile.phone.as_ref().map(|p| p.as_str()),
    );
    let entry = audit::AuditEntry {
        actor: audit::Actor::User(admin.user_id()),
        action: "organization.profile_updated",
        subject_type: "organization",
        subject_id: organization_id,
        before: Some(&before),
        after: Some(&after),
        justification: None,
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// PRO-6: the company's primary users, by name.
pub async fn administrators(state: &AppState, admin: &CompanyAdmin) -> Result<Vec<AdministratorRow>, ServiceError> {
    require(admin, Permission::OrgAdministrators)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(organizations::administrators(&mut conn, admin.organization_id(), state.now_ms(), MAX_ADMINISTRATORS).await?)
}
