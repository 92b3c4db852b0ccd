//! CON-4: integration users in the console — `/console/integrations` (list),
//! `/console/integrations/new`, `/console/integrations/{id}` (edit, Inactivate / Activate) and
//! `/console/integrations/{id}/secret` (the client secret, shown once). The secret goes from
//! the use case to the admin's server-side session and is taken out by the one page that shows
//! it: never in a URL, a log line or an audit row (SEC-7).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::integration::IntegrationForm;

pub const INTEGRATIONS: &str = "/console/integrations";

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationLine {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub active: bool,
    pub scopes: i64,
    pub organizations: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationListPage {
    pub rows: Vec<IntegrationLine>,
    /// The `after` of the next page, when there is one.
    pub next_after: Option<String>,
}

/// An organization offered or chosen as a sales group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationChoice {
    pub id: String,
    pub name: String,
    pub registry_id: String,
}

/// What the form offers: the scopes (admin groups), the organizations found by the search and
/// those already chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationOptions {
    pub scopes: Vec<(String, String)>,
    pub found: Vec<OrganizationChoice>,
    pub chosen: Vec<OrganizationChoice>,
}

/// The editor of a stored integration user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationDetails {
    pub id: String,
    pub client_id: String,
    pub active: bool,
    pub stored: IntegrationForm,
}

/// The secret the admin is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownSecret {
    pub client_id: String,
    pub secret: String,
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "saved" => Some("The integration user was saved. Its next token carries the new scopes."),
        "inactivated" => Some("The integration user was inactivated. Its tokens stopped working at once."),
        "activated" => Some("The integration user was activated. It can get tokens again."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "console/integrations/list")]
pub async fn integration_list(after: String) -> Result<IntegrationListPage, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::RecordStatus;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let after = (!after.is_empty()).then_some(after.as_str());
    let (rows, more) = crate::backend::services::integrations::list(&state, &admin, after)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let next_after = more.then(|| rows.last().map(|r| r.client_id.clone())).flatten();
    let rows = rows
        .into_iter()
        .map(|r| IntegrationLine {
            active: match r.status {
                RecordStatus::Active => true,
                RecordStatus::Inactive => false,
            },
            id: r.id,
            client_id: r.client_id,
            name: r.name,
            scopes: r.scopes,
            organizations: r.organizations,
        })
        .collect();
    Ok(IntegrationListPage { rows, next_after })
}

/// The scopes, the organizations matching `org_q`, and the chosen ones: `chosen` when given
/// (a form being filled in), else those of the stored integration user `id` (none for new).
#[server(prefix = "/rpc", endpoint = "console/integrations/choices", input = server_fn::codec::Json)]
pub async fn integration_choices(
    id: String,
    org_q: String,
    chosen: Option<Vec<String>>,
) -> Result<IntegrationOptions, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::integrations;
    use crate::domain::integration::ApiScope;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let to_app = |e| to_app_error(e, reference());
    let chosen = match (chosen, id.is_empty()) {
        (Some(chosen), _) => chosen,
        (None, true) => Vec::new(),
        (None, false) => integrations::integration(&state, &admin, &id).await.map_err(to_app)?.record.organizations,
    };
    let (found, chosen) = integrations::organization_choices(&state, &admin, &org_q, &chosen).await.map_err(to_app)?;
    let view = |orgs: Vec<crate::backend::store::directory::DirectoryOrganization>| {
        orgs.into_iter()
            .map(|o| OrganizationChoice { id: o.id, name: o.name, registry_id: o.registry_id })
            .collect::<Vec<_>>()
    };
    Ok(IntegrationOptions {
        scopes: ApiScope::all().map(|s| (s.to_string(), format!("{s}: {}", s.label()))).collect(),
        found: view(found),
        chosen: view(chosen),
    })
}

/// The session key of the secret waiting to be shown: (integration user id, secret, when).
#[cfg(feature = "ssr")]
const SECRET_TO_SHOW: &str = "integration_secret";
/// A secret not looked at within this long is not shown any more.
#[cfg(feature = "ssr")]
const SECRET_SHOWN_WITHIN_MS: i64 = 10 * 60 * 1000;

/// Keeps the new secret in the admin's server-side session for the one page that shows it.
#[cfg(feature = "ssr")]
async fn keep_secret_for_the_admin(
    id: &str,
    secret: &crate::backend::services::integrations::ClientSecret,
    now: i64,
) -> Result<(), AppError> {
    use crate::api::ssr::{reference, session};
    let session = session().await?;
    session.insert(SECRET_TO_SHOW, (id, secret.expose(), now)).await.map_err(|e| {
        tracing::error!(reference = %reference(), error = %e, "could not keep the secret for the admin");
        AppError::Internal { reference: reference() }
    })
}

/// CON-4: creates the integration user; the browser goes to the page showing its secret.
#[server(prefix = "/rpc", endpoint = "console/integrations/create", input = server_fn::codec::Json)]
pub async fn create_integration(#[server(flatten)] form: IntegrationForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let (client_id, access) = form.validate_new().map_err(|fields| AppError::Validation { fields })?;
    let (id, secret) = crate::backend::services::integrations::create(&state, &admin, &client_id, &access)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    keep_secret_for_the_admin(&id, &secret, state.now_ms()).await?;
    Ok(format!("{INTEGRATIONS}/{id}/secret"))
}

/// The secret of `id` if it was just generated in this session: shown once, then gone.
#[server(prefix = "/rpc", endpoint = "console/integrations/secret")]
pub async fn integration_secret(id: String) -> Result<Option<ShownSecret>, AppError> {
    use crate::api::ssr::{reference, session, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let view = crate::backend::services::integrations::integration(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let session = session().await?;
    let kept: Option<(String, String, i64)> = session.get(SECRET_TO_SHOW).await.ok().flatten();
    let Some((_, secret, at)) = kept.filter(|(kept_id, _, _)| *kept_id == id) else { return Ok(None) };
    // Taken out before it is shown: a reload shows it no more.
    let _ = session.remove_value(SECRET_TO_SHOW).await;
    if state.now_ms() - at > SECRET_SHOWN_WITHIN_MS {
        return Ok(None);
    }
    Ok(Some(ShownSecret { client_id: view.record.client_id, secret }))
}

#[server(prefix = "/rpc", endpoint = "console/integrations/editor")]
pub async fn integration_editor(id: String) -> Result<IntegrationDetails, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::RecordStatus;
    let (state, admin) = super::ssr::merchant_admin().await?;
    let view = crate::backend::services::integrations::integration(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let r = view.record;
    Ok(IntegrationDetails {
        active: match r.status {
            RecordStatus::Active => true,
            RecordStatus::Inactive => false,
        },
        stored: IntegrationForm {
            client_id: r.client_id.clone(),
            name: r.name,
            scopes: r.scopes.iter().map(ToString::to_string).collect(),
            organizations: r.organizations,
        },
        id: r.id,
        client_id: r.client_id,
    })
}

/// Saves the name, admin groups and sales groups of `id`.
#[server(prefix = "/rpc", endpoint = "console/integrations/save", input = server_fn::codec::Json)]
pub async fn save_integration(id: String, #[server(flatten)] form: IntegrationForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let access = form.validate_access().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::integrations::update(&state, &admin, &id, &access)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{INTEGRATIONS}/{id}?notice=saved"))
}

#[server(prefix = "/rpc", endpoint = "console/integrations/inactivate")]
pub async fn inactivate_integration(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::RecordStatus;
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::integrations::set_status(&state, &admin, &id, RecordStatus::Inactive)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{INTEGRATIONS}/{id}?notice=inactivated"))
}

#[server(prefix = "/rpc", endpoint = "console/integrations/activate")]
pub async fn activate_integration(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    use crate::domain::RecordStatus;
    let (state, admin) = super::ssr::merchant_admin().await?;
    crate::backend::services::integrations::set_status(&state, &admin, &id, RecordStatus::Active)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{INTEGRATIONS}/{id}?notice=activated"))
}

/// "Generate a new secret": the old one and its tokens stop working; the new one is shown once.
#[server(prefix = "/rpc", endpoint = "console/integrations/new_secret")]
pub async fn replace_integration_secret(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::ssr::merchant_admin().await?;
    let secret = crate::backend::services::integrations::new_secret(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    keep_secret_for_the_admin(&id, &secret, state.now_ms()).await?;
    Ok(format!("{INTEGRATIONS}/{id}/secret"))
}
