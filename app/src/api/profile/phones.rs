//! The phone book of the signed-in person (PRO-2): list, add, edit, remove, make primary.
//! Each change answers where to go next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::{PhoneForm, PhoneKind};

pub const PHONES: &str = "/profile/phones";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneView {
    pub id: String,
    pub number: String,
    pub kind: PhoneKind,
    pub is_primary: bool,
}

pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "phone_added" => Some("The phone number was added."),
        "phone_saved" => Some("The phone number was saved."),
        "phone_removed" => Some("The phone number was removed."),
        "phone_preferred" => Some("The preferred phone number was changed."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "phones/list")]
pub async fn phone_book() -> Result<Vec<PhoneView>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    let rows = crate::backend::services::contact_book::phone_book(&state, &me)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(rows.into_iter().map(ssr::view).collect())
}

#[server(prefix = "/rpc", endpoint = "phones/one")]
pub async fn phone_entry(id: String) -> Result<PhoneView, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    let row = crate::backend::services::contact_book::phone(&state, &me, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ssr::view(row))
}

#[server(prefix = "/rpc", endpoint = "phones/add")]
pub async fn add_phone(#[server(flatten)] form: PhoneForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    let entry = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::contact_book::add_phone(&state, &me, &entry)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{PHONES}?notice=phone_added"))
}

#[server(prefix = "/rpc", endpoint = "phones/edit")]
pub async fn edit_phone(id: String, #[server(flatten)] form: PhoneForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    let entry = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::contact_book::edit_phone(&state, &me, &id, &entry)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{PHONES}?notice=phone_saved"))
}

#[server(prefix = "/rpc", endpoint = "phones/remove")]
pub async fn remove_phone(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    crate::backend::services::contact_book::remove_phone(&state, &me, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{PHONES}?notice=phone_removed"))
}

#[server(prefix = "/rpc", endpoint = "phones/prefer")]
pub async fn prefer_phone(id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, me) = ssr::me().await?;
    crate::backend::services::contact_book::prefer_phone(&state, &me, &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{PHONES}?notice=phone_preferred"))
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::PhoneView;
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::authz::SignedIn;
    use crate::backend::store::phones::StoredPhone;
    use crate::backend::AppState;

    pub async fn me() -> Result<(AppState, SignedIn), AppError> {
        let caller = crate::api::capability::caller().await?;
        Ok((state()?, caller.signed_in().map_err(|e| to_app_error(e, reference()))?))
    }

    pub fn view(row: StoredPhone) -> PhoneView {
        PhoneView { id: row.id, number: row.number, kind: row.kind, is_primary: row.is_primary }
    }
}
