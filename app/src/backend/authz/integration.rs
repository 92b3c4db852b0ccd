//! The capability of an integration user calling the JSON API (CON-4, API-1, API-2): made only
//! here, from a live access token of an active integration user, read afresh on every call —
//! inactivating the integration user ends its tokens at once.

use sha2::{Digest, Sha256};

use super::{Approver, IntegrationApprover, Operator};
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;
use crate::backend::store::audit::Actor;
use crate::backend::store::{api_tokens, integration_users};
use crate::domain::integration::ApiScope;
use crate::domain::RecordStatus;

/// An active integration user with its scopes (admin groups) and sales groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    id: String,
    client_id: String,
    scopes: Vec<ApiScope>,
    /// Organization ids; none = every organization (API-2).
    organizations: Vec<String>,
}

impl Integration {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn scopes(&self) -> &[ApiScope] {
        &self.scopes
    }

    /// API-2: a call outside the integration user's scopes is refused (403).
    pub fn require(&self, scope: ApiScope) -> Result<(), ServiceError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// The integration user whose sales groups limit a query, or `None` when it has none and so
    /// reaches every organization.
    pub fn sales_of(&self) -> Option<&str> {
        (!self.organizations.is_empty()).then_some(self.id.as_str())
    }

    /// A merchant-wide approver (APR-8) within the sales groups, deciding as this integration
    /// user (API-3): requires `scope` (`approvals:read` to list, `approvals:write` to decide).
    pub fn approver(&self, scope: ApiScope) -> Result<Approver, ServiceError> {
        self.require(scope)?;
        Ok(Approver {
            user_id: self.id.clone(),
            organization_id: None,
            pending_approvals: false,
            group_approvals: false,
            is_universal: false,
            is_merchant_admin: true,
            integration: Some(IntegrationApprover { limited: !self.organizations.is_empty() }),
        })
    }
}

impl Operator for Integration {
    fn actor(&self) -> Actor<'_> {
        Actor::Integration(&self.id)
    }

    fn reaches(&self, organization_id: Option<&str>) -> bool {
        match organization_id {
            None => true,
            Some(org) => self.organizations.is_empty() || self.organizations.iter().any(|o| o == org),
        }
    }
}

/// The stored form of an access token (or any other bearer secret): its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The integration user holding the bearer `token` now, or `Unauthenticated`: unknown,
/// expired, or its integration user inactive (API-1).
pub async fn integration(state: &AppState, token: &str) -> Result<Integration, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    let Some(id) = api_tokens::holder(&mut conn, &token_hash(token), state.now_ms()).await? else {
        return Err(ServiceError::Unauthenticated);
    };
    let record = integration_users::find(&mut conn, &id).await?.ok_or(ServiceError::Unauthenticated)?;
    match record.status {
        RecordStatus::Active => {}
        RecordStatus::Inactive => return Err(ServiceError::Unauthenticated),
    }
    Ok(Integration {
        id: record.id,
        client_id: record.client_id,
        scopes: record.scopes,
        organizations: record.organizations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integration(organizations: &[&str]) -> Integration {
        Integration {
            id: "i1".into(),
            client_id: "cpq".into(),
            scopes: vec![ApiScope::ApprovalsRead],
            organizations: organizations.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    // covers: API-2
    #[test]
    fn sales_groups_limit_the_organizations_reached_and_none_means_all() {
        let all = integration(&[]);
        assert!(all.reaches(Some("any")) && all.reaches(None));
        assert_eq!(all.sales_of(), None);
        let some = integration(&["o1"]);
        assert!(some.reaches(Some("o1")) && some.reaches(None));
        assert!(!some.reaches(Some("o2")));
        assert_eq!(some.sales_of(), Some("i1"));
    }

    // covers: API-2, CON-5
    #[test]
    fn scopes_are_required_and_the_approver_names_the_integration() {
        let i = integration(&["o1"]);
        assert!(i.require(ApiScope::ApprovalsRead).is_ok());
        assert!(matches!(i.require(ApiScope::UsersWrite), Err(ServiceError::Forbidden)));
        assert!(matches!(i.approver(ApiScope::ApprovalsWrite), Err(ServiceError::Forbidden)));
        let approver = i.approver(ApiScope::ApprovalsRead).unwrap();
        assert_eq!(approver.actor(), Actor::Integration("i1"));
        assert_eq!(approver.deciding_user(), None);
        assert_eq!(approver.key().sales_of, Some("i1"));
        assert!(integration(&[]).approver(ApiScope::ApprovalsRead).unwrap().key().sales_of.is_none());
        assert_eq!(i.actor(), Actor::Integration("i1"));
    }

    #[test]
    fn a_token_is_stored_as_its_sha_256() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
