//! ADM-5, the Sites tab of a contact's login (MANAGE_CONTACTS + ASSIGN_SITES): the merchant's
//! active specialty sites with Assign / Remove.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ContactHeading;
use crate::api::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    pub id: String,
    pub name: String,
    pub required_role: Option<String>,
    pub assigned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSitesInfo {
    pub heading: ContactHeading,
    pub sites: Vec<SiteView>,
}

pub fn sites_href(contact_id: &str) -> String {
    format!("{}/{contact_id}/sites", super::CONTACTS)
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "site_assigned" => Some("The site was assigned."),
        "site_removed" => Some("The site was removed."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/sites")]
pub async fn user_sites(id: String) -> Result<UserSitesInfo, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    let (subject, sites) = crate::backend::services::admin::user_sites::user_sites(&state, &admin, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(UserSitesInfo {
        heading: super::ssr::heading(&admin, &subject),
        sites: sites
            .into_iter()
            .map(|s| SiteView { id: s.id, name: s.name, required_role: s.required_role, assigned: s.assigned })
            .collect(),
    })
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/sites/assign")]
pub async fn assign_site(id: String, site_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    crate::backend::services::admin::user_sites::assign_site(&state, &admin, &id, &site_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=site_assigned", sites_href(&id)))
}

#[server(prefix = "/rpc", endpoint = "admin/contacts/sites/remove")]
pub async fn remove_site(id: String, site_id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, admin) = super::access::contact_admin().await?;
    crate::backend::services::admin::user_sites::remove_site(&state, &admin, &id, &site_id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=site_removed", sites_href(&id)))
}
