//! Integration users (CON-4) and their tokens (API-1) as the tests make them: through the
//! console's use case (as the bootstrapped merchant admin) and the token use case.

use super::fixtures::ready_merchant_admin;
use crate::backend::authz::{caller, MerchantAdmin};
use crate::backend::services::integration_api::issue_token;
use crate::backend::services::integrations::create;
use crate::backend::state::AppState;
use crate::domain::integration::{ApiScope, IntegrationForm};

/// The bootstrapped merchant admin's console capability (after the forced password change).
pub async fn console_admin(state: &AppState) -> MerchantAdmin {
    // Idempotent: the admin is bootstrapped once and its first password change is skipped.
    let admin = ready_merchant_admin(state).await;
    caller(state, &admin).await.expect("admin caller").merchant_admin().expect("merchant admin")
}

/// A new active integration user `client_id` with `scopes` and sales groups `organizations`:
/// its id and client secret.
pub async fn integration_user(
    state: &AppState,
    client_id: &str,
    scopes: &[ApiScope],
    organizations: &[&str],
) -> (String, String) {
    let admin = console_admin(state).await;
    let form = IntegrationForm {
        client_id: client_id.to_owned(),
        name: format!("{client_id} integration"),
        scopes: scopes.iter().map(ToString::to_string).collect(),
        organizations: organizations.iter().map(|o| (*o).to_owned()).collect(),
    };
    let (client_id, access) = form.validate_new().expect("a valid integration form");
    let (id, secret) = create(state, &admin, &client_id, &access).await.expect("integration user created");
    (id, secret.expose().to_owned())
}

/// A bearer token for the integration user's credentials.
pub async fn api_token(state: &AppState, client_id: &str, secret: &str) -> String {
    issue_token(state, client_id, secret).await.expect("a token").token
}

/// Every scope of API-2.
pub fn all_scopes() -> Vec<ApiScope> {
    ApiScope::all().collect()
}
