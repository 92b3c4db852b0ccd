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
    let active = u.status == "active" && u.start_at.is_none_or(|s| s <= now) && u.end_at.is_none_or(|e| e >= now);
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

/// Someone who may see and decide requests: a company user holding `PENDING_APPROVALS` or
/// `PENDING_APPROVALS_GROUP` (APR-3, APR-4), the universal approver (APR-2), or a merchant
/// admin (APR-8). Only `company_approver` and `merchant_approver` make one.
#[derive(Debug, Clone)]
pub struct Approver {
    user_id: String,
    organization_id: Option<String>,
    pending_approvals: bool,
    group_approvals: bool,
    is_universal: bool,
    is_merchant_admin: bool,
}

impl Approver {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    pub fn key(&self) -> crate::backend::store::approvals::ApproverKey<'_> {
        crate::backend::store::approvals::ApproverKey {
            user_id: &self.user_id,
            organization_id: self.organization_id.as_deref(),
            pending_approvals: self.pending_approvals,
            group_approvals: self.group_approvals,
            is_universal: self.is_universal,
            is_merchant_admin: self.is_merchant_admin,
        }
    }
}

/// The signed-in user, refused when they must first change their password (LOG-3).
async fn usable_user(state: &AppState, user_id: &str) -> Result<CurrentUser, ServiceError> {
    let user = current_user(state, user_id).await?.ok_or(ServiceError::Forbidden)?;
    if user.must_change_password {
        return Err(ServiceError::Forbidden);
    }
    Ok(user)
}

/// APR-2: the setting `universal_approver` names a user by id (a username can be released and
/// registered by anyone), and only an active merchant admin acts as the universal approver.
async fn is_universal(state: &AppState, user: &CurrentUser) -> Result<bool, ServiceError> {
    if !user.is_merchant_admin {
        return Ok(false);
    }
    let mut conn = state.db.pool().acquire().await?;
    let settings = crate::backend::settings::Settings::load(&mut conn).await?;
    Ok(settings.universal_approver_id.as_deref() == Some(user.id.as_str()))
}

/// `/admin/approvals`: a company user with an approval permission, limited to their company.
pub async fn company_approver(state: &AppState, user_id: &str) -> Result<Approver, ServiceError> {
    let user = usable_user(state, user_id).await?;
    let permissions = {
        let mut conn = state.db.pool().acquire().await?;
        crate::backend::store::roles::permissions_of(&mut conn, &user.id, state.now_ms()).await?
    };
    let pending_approvals = permissions.iter().any(|p| p == "PENDING_APPROVALS");
    let group_approvals = permissions.iter().any(|p| p == "PENDING_APPROVALS_GROUP");
    let universal = is_universal(state, &user).await?;
    if user.organization_id.is_none() && !universal || !(pending_approvals || group_approvals || universal) {
        return Err(ServiceError::Forbidden);
    }
    Ok(Approver {
        user_id: user.id,
        organization_id: user.organization_id,
        pending_approvals,
        group_approvals,
        is_universal: universal,
        is_merchant_admin: false,
    })
}

/// `/console/approvals`: a merchant admin sees and decides every request (APR-8).
pub async fn merchant_approver(state: &AppState, user_id: &str) -> Result<Approver, ServiceError> {
    let user = usable_user(state, user_id).await?;
    if !user.is_merchant_admin {
        return Err(ServiceError::Forbidden);
    }
    let universal = is_universal(state, &user).await?;
    Ok(Approver {
        user_id: user.id,
        organization_id: None,
        pending_approvals: false,
        group_approvals: false,
        is_universal: universal,
        is_merchant_admin: true,
    })
}

/// ADM-9: each menu entry is data with one of four access rules.
#[derive(Debug, Clone, Copy)]
enum Access {
    #[allow(dead_code)]
    Anyone,
    #[allow(dead_code)]
    BusinessHolding(&'static str),
    #[allow(dead_code)]
    IndividualsOrBusinessHolding(&'static str),
    AnyoneHolding(&'static str),
    MerchantAdmin,
}

const MENU: &[(&str, &str, Access)] = &[
    ("Pending Approvals", "/admin/approvals", Access::AnyoneHolding("PENDING_APPROVALS")),
    ("Console: approvals", "/console/approvals", Access::MerchantAdmin),
];

/// The menu entries `user` may see; every page checks the same rule itself on the server.
pub async fn menu(state: &AppState, user: &CurrentUser) -> Result<Vec<(&'static str, &'static str)>, ServiceError> {
    if user.must_change_password {
        return Ok(Vec::new());
    }
    let permissions = {
        let mut conn = state.db.pool().acquire().await?;
        crate::backend::store::roles::permissions_of(&mut conn, &user.id, state.now_ms()).await?
    };
    let holds = |p: &str| permissions.iter().any(|q| q == p);
    let business = user.organization_id.is_some();
    Ok(MENU
        .iter()
        .filter(|(_, _, access)| match access {
            Access::Anyone => true,
            Access::BusinessHolding(p) => business && holds(p),
            Access::IndividualsOrBusinessHolding(p) => !business && !user.is_merchant_admin || holds(p),
            Access::AnyoneHolding(p) => holds(p),
            Access::MerchantAdmin => user.is_merchant_admin,
        })
        .map(|(label, href, _)| (*label, *href))
        .collect())
}
