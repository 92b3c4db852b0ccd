//! Capabilities (STYLE.md "Authorization is a value"): values only this module can make, after
//! checking the session's user against the database. A use case that needs a right takes the
//! capability, so forgetting a check fails to compile.
//!
//! Everything is read once per request, on one connection ([`Caller::load`]): the user with the
//! facts of the usable-user rule (LOG-2, the same rule sign-in applies), their permissions from
//! roles in force (a revoked role counts at the next request) and whether they are the
//! universal approver. Menus (ADM-9) and pages are decided by the same [`Rule`]s.

mod cache;
mod integration;
mod menu;
mod scope;

pub use cache::CallerCache;
pub use integration::{integration, token_hash, Integration};
pub use menu::{menu, MenuItem, Rule};
pub use scope::{Scope, SessionChoice};

use crate::backend::error::ServiceError;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::accounts::UsableAccount;
use crate::backend::store::approvals::ApproverKey;
use crate::backend::store::{roles, users};
use crate::domain::{Access, Completeness, Known, PasswordContext, Permission, PermissionSet, UserTypeKind};

/// The signed-in user as this request found them: usable (LOG-2), with their permissions.
#[derive(Debug, Clone)]
pub struct Caller {
    account: users::UserAccount,
    permissions: PermissionSet,
    is_universal: bool,
    scope: Scope,
}

impl Caller {
    /// The user behind `user_id` if they may use their login now; `None` otherwise (a session
    /// of a user made inactive, end-dated or whose contact ended stops working at once). The
    /// session's `choice` of customer and account is checked too (PRO-3, PRO-7).
    pub async fn load(state: &AppState, user_id: &str, choice: &SessionChoice) -> Result<Option<Caller>, ServiceError> {
        let mut conn = state.db.pool().acquire().await?;
        let Some(account) = users::find_account(&mut conn, user_id).await? else { return Ok(None) };
        match account.access.access_at(state.now_ms()) {
            Access::Usable => {}
            Access::AwaitingApproval | Access::NotActive | Access::Gone => return Ok(None),
        }
        let settings = Settings::cached(state.db.settings_cache(), &mut conn).await?;
        let scope = Scope::resolve(&mut conn, &account, &settings, choice).await?;
        let permissions = scope.permissions(roles::permission_set(&mut conn, user_id, state.now_ms()).await?);
        let is_universal = is_universal(&settings, &account);
        Ok(Some(Caller { account, permissions, is_universal, scope }))
    }

    pub fn user_id(&self) -> &str {
        &self.account.id
    }

    pub fn username(&self) -> &str {
        &self.account.username
    }

    /// "First Last", for the header (LOG-5).
    pub fn name(&self) -> String {
        format!("{} {}", self.account.first_name, self.account.last_name)
    }

    /// What a new password must not contain (REG-9).
    pub fn password_context(&self) -> PasswordContext<'_> {
        PasswordContext {
            username: &self.account.username,
            first_name: &self.account.first_name,
            last_name: &self.account.last_name,
        }
    }

    pub fn must_change_password(&self) -> bool {
        self.account.must_change_password
    }

    pub fn is_merchant_admin(&self) -> bool {
        self.account.is_merchant_admin
    }

    /// A business user: one that belongs to an organization (ADM-9's "business users"). This
    /// is the session's organization (PRO-7): every capability is limited to it.
    pub fn organization_id(&self) -> Option<&str> {
        self.scope.organization_id.as_deref()
    }

    /// The session's customer and account (PRO-3, PRO-7), as this request found them.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn user_type(&self) -> Option<UserTypeKind> {
        self.account.user_type
    }

    pub fn holds(&self, permission: Permission) -> bool {
        self.permissions.holds(permission)
    }

    pub fn is_universal_approver(&self) -> bool {
        self.is_universal
    }

    /// LOG-3: a usable user, even one who must first change the password (the only thing such
    /// a user may do).
    pub fn authenticated(&self) -> Authenticated {
        Authenticated { user_id: self.account.id.clone(), username: self.account.username.clone() }
    }

    /// PAR-1: whether the customer record is complete, checked on every request.
    pub fn completeness(&self) -> Completeness {
        self.account.record.completeness()
    }

    /// PAR-1: a user whose customer record is incomplete, and what is known about it; the only
    /// capability such a user has besides public pages ("Confirm registration", PAR-2).
    pub fn partial_user(&self) -> Result<PartialUser, ServiceError> {
        if self.must_change_password() {
            return Err(ServiceError::Forbidden);
        }
        match self.completeness() {
            Completeness::Partial(known) => Ok(PartialUser {
                user_id: self.account.id.clone(),
                username: self.account.username.clone(),
                person_id: self.account.person_id.clone(),
                organization_id: self.account.organization_id.clone(),
                known,
            }),
            Completeness::AwaitingApproval => Err(ServiceError::AwaitingApproval),
            Completeness::Complete => Err(ServiceError::Forbidden),
        }
    }

    /// A usable user who need not change the password first (LOG-3) and whose customer record
    /// is complete (PAR-1): every secure page's capabilities start here.
    pub fn signed_in(&self) -> Result<SignedIn, ServiceError> {
        if self.must_change_password() {
            return Err(ServiceError::Forbidden);
        }
        match self.completeness() {
            Completeness::Complete => {}
            Completeness::Partial(_) => return Err(ServiceError::IncompleteRegistration),
            Completeness::AwaitingApproval => return Err(ServiceError::AwaitingApproval),
        }
        Ok(SignedIn {
            user_id: self.account.id.clone(),
            person_id: self.account.person_id.clone(),
            organization_id: self.scope.organization_id.clone(),
            account_id: self.scope.account_id.clone(),
        })
    }

    /// A business user of their own organization holding `permission` (SEC-5: everything they
    /// reach is limited to that organization).
    pub fn company_admin(&self, permission: Permission) -> Result<CompanyAdmin, ServiceError> {
        self.signed_in()?;
        match (Rule::BusinessHolding(permission).allows(self), self.organization_id()) {
            (true, Some(organization_id)) => Ok(CompanyAdmin {
                user_id: self.account.id.clone(),
                organization_id: organization_id.to_owned(),
                permissions: self.permissions.clone(),
            }),
            _ => Err(ServiceError::Forbidden),
        }
    }

    /// PRO-3: a business user and the accounts they may use for the session's customer.
    /// Individuals have no such page (their one account is opened for them).
    pub fn account_holder(&self) -> Result<AccountHolder, ServiceError> {
        self.signed_in()?;
        let organization_id = self.organization_id().ok_or(ServiceError::Forbidden)?.to_owned();
        Ok(AccountHolder {
            user_id: self.account.id.clone(),
            organization_id,
            accounts: self.scope.accounts.clone(),
            session_account: self.scope.account_id.clone(),
        })
    }

    /// The console (CON): the merchant's own staff.
    pub fn merchant_admin(&self) -> Result<MerchantAdmin, ServiceError> {
        self.signed_in()?;
        if !Rule::MerchantAdmin.allows(self) {
            return Err(ServiceError::Forbidden);
        }
        Ok(MerchantAdmin { user_id: self.account.id.clone() })
    }

    /// `/admin/approvals` (APR-3, APR-4): a company user holding an approval permission,
    /// limited to their company, or the universal approver (APR-2).
    pub fn company_approver(&self) -> Result<Approver, ServiceError> {
        self.signed_in()?;
        if !Rule::CompanyApprover.allows(self) {
            return Err(ServiceError::Forbidden);
        }
        Ok(Approver {
            user_id: self.account.id.clone(),
            organization_id: self.scope.organization_id.clone(),
            pending_approvals: self.holds(Permission::PendingApprovals),
            group_approvals: self.holds(Permission::PendingApprovalsGroup),
            is_universal: self.is_universal,
            is_merchant_admin: false,
            integration: None,
        })
    }

    /// `/console/approvals` (APR-8): a merchant admin sees and decides every request.
    pub fn merchant_approver(&self) -> Result<Approver, ServiceError> {
        let admin = self.merchant_admin()?;
        Ok(Approver {
            user_id: admin.user_id,
            organization_id: None,
            pending_approvals: false,
            group_approvals: false,
            is_universal: self.is_universal,
            is_merchant_admin: true,
            integration: None,
        })
    }
}

/// APR-2: the universal approver decides every step routed to it. The setting names a user id;
/// a name would let whoever registers a released username inherit the role. Only a merchant
/// admin can hold it.
fn is_universal(settings: &Settings, account: &users::UserAccount) -> bool {
    account.is_merchant_admin && settings.universal_approver_id.as_deref() == Some(account.id.as_str())
}

/// PAR-1: a signed-in user whose customer record is incomplete.
#[derive(Debug, Clone)]
pub struct PartialUser {
    user_id: String,
    username: String,
    person_id: String,
    organization_id: Option<String>,
    known: Known,
}

impl PartialUser {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The login's username (kept: PAR-2 confirms the record, not the login).
    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn person_id(&self) -> &str {
        &self.person_id
    }

    /// The organization the user belongs to (maybe through an ended contact relationship).
    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    pub fn known(&self) -> Known {
        self.known
    }
}

/// A usable user who may be required to change the password first (LOG-3).
#[derive(Debug, Clone)]
pub struct Authenticated {
    user_id: String,
    username: String,
}

impl Authenticated {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn username(&self) -> &str {
        &self.username
    }
}

/// A usable user with no password change pending: every page and server function behind
/// sign-in needs at least this.
#[derive(Debug, Clone)]
pub struct SignedIn {
    user_id: String,
    person_id: String,
    organization_id: Option<String>,
    account_id: Option<String>,
}

impl SignedIn {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The person behind the login: their profile, e-mail addresses, phones and addresses (PRO).
    pub fn person_id(&self) -> &str {
        &self.person_id
    }

    /// The session's organization (PRO-7), `None` for individuals.
    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    /// The session's account (PRO-3): assigned to the user, active, of the session's customer.
    /// Wherever an account matters, this is the one.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}

/// A primary user acting for their own organization with one of its permissions (ADM, SEC-5).
#[derive(Debug, Clone)]
pub struct CompanyAdmin {
    user_id: String,
    organization_id: String,
    permissions: PermissionSet,
}

impl CompanyAdmin {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The only organization this capability reaches.
    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    pub fn permissions(&self) -> &PermissionSet {
        &self.permissions
    }
}

/// A business user with the accounts assigned to them for the session's customer (PRO-3).
#[derive(Debug, Clone)]
pub struct AccountHolder {
    user_id: String,
    organization_id: String,
    accounts: Vec<UsableAccount>,
    session_account: Option<String>,
}

impl AccountHolder {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The session's customer: the only one whose accounts this reaches.
    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    /// Active, assigned, of the session's customer; primary first (PRO-3).
    pub fn accounts(&self) -> &[UsableAccount] {
        &self.accounts
    }

    pub fn session_account(&self) -> Option<&str> {
        self.session_account.as_deref()
    }
}

/// The merchant's staff (CON).
#[derive(Debug, Clone)]
pub struct MerchantAdmin {
    user_id: String,
}

impl MerchantAdmin {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

/// Whoever runs the merchant's operations on users and organizations (CON-3, API-3): a merchant
/// admin in the console, or an integration user of the JSON API, limited to its sales groups
/// (API-2). The use cases take this, so both paths run the same code and audit the right actor.
pub trait Operator: Send + Sync {
    /// The actor written to the audit log (CON-5, API-6).
    fn actor(&self) -> crate::backend::store::audit::Actor<'_>;
    /// Whether the operator may see and change what belongs to `organization_id` (`None`: an
    /// individual, reachable by every operator). A record out of reach is answered as not found.
    fn reaches(&self, organization_id: Option<&str>) -> bool;
}

impl Operator for MerchantAdmin {
    fn actor(&self) -> crate::backend::store::audit::Actor<'_> {
        crate::backend::store::audit::Actor::User(&self.user_id)
    }

    fn reaches(&self, _organization_id: Option<&str>) -> bool {
        true
    }
}

/// Someone who may see and decide requests: a company user holding `PENDING_APPROVALS` or
/// `PENDING_APPROVALS_GROUP` (APR-3, APR-4), the universal approver (APR-2), or a merchant
/// admin (APR-8).
#[derive(Debug, Clone)]
pub struct Approver {
    user_id: String,
    organization_id: Option<String>,
    pending_approvals: bool,
    group_approvals: bool,
    is_universal: bool,
    is_merchant_admin: bool,
    /// Set when an integration user decides through the JSON API (API-3): `user_id` is then its
    /// id, the audit log names it (API-6), and its sales groups limit the queue when it has
    /// some (API-2).
    integration: Option<IntegrationApprover>,
}

#[derive(Debug, Clone, Copy)]
struct IntegrationApprover {
    limited: bool,
}

impl Approver {
    /// The deciding user's id (an integration user's id when one decides through the API).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Who the audit log names as deciding (CON-5, API-6).
    pub fn actor(&self) -> crate::backend::store::audit::Actor<'_> {
        use crate::backend::store::audit::Actor;
        match self.integration {
            Some(_) => Actor::Integration(&self.user_id),
            None => Actor::User(&self.user_id),
        }
    }

    /// The user recorded on the request's decision (`request_decisions.decided_by` names users
    /// only; an integration user's decisions are named by the audit log).
    pub fn deciding_user(&self) -> Option<&str> {
        match self.integration {
            Some(_) => None,
            None => Some(&self.user_id),
        }
    }

    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    pub fn key(&self) -> ApproverKey<'_> {
        ApproverKey {
            user_id: &self.user_id,
            organization_id: self.organization_id.as_deref(),
            pending_approvals: self.pending_approvals,
            group_approvals: self.group_approvals,
            is_universal: self.is_universal,
            is_merchant_admin: self.is_merchant_admin,
            sales_of: match self.integration {
                Some(IntegrationApprover { limited: true }) => Some(&self.user_id),
                _ => None,
            },
        }
    }
}

/// The capability for `user_id`'s session now, as tests and jobs build it.
pub async fn caller(state: &AppState, user_id: &str) -> Result<Caller, ServiceError> {
    caller_choosing(state, user_id, &SessionChoice::default()).await
}

/// The capability of a session of `user_id` that chose a customer or account (PRO-3, PRO-7).
pub async fn caller_choosing(state: &AppState, user_id: &str, choice: &SessionChoice) -> Result<Caller, ServiceError> {
    Caller::load(state, user_id, choice).await?.ok_or(ServiceError::Unauthenticated)
}

/// `/admin/approvals`: see [`Caller::company_approver`].
pub async fn company_approver(state: &AppState, user_id: &str) -> Result<Approver, ServiceError> {
    caller(state, user_id).await?.company_approver()
}

/// `/console/approvals`: see [`Caller::merchant_approver`].
pub async fn merchant_approver(state: &AppState, user_id: &str) -> Result<Approver, ServiceError> {
    caller(state, user_id).await?.merchant_approver()
}
