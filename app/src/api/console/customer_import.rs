//! CON-7 (OAA-6): `/console/import`. The file arrives as a plain multipart post (server/
//! src/import_upload.rs), which runs [`ssr::run_import`] and renders the page with the
//! [`ImportOutcome`]; the page's server function only says who may see it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::customer_import::ImportReport;

pub const IMPORT_PAGE: &str = "/console/import";

/// What the page shows after a post: the preview or the commit's report. Provided as context
/// when the post renders the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome(pub ImportReport);

/// Which button sent the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Preview,
    Commit,
}

/// The columns a file may have, for merchant admins only (SEC-5).
#[server(prefix = "/rpc", endpoint = "console/import/columns")]
pub async fn import_columns() -> Result<Vec<String>, AppError> {
    super::ssr::merchant_admin().await?;
    Ok(crate::domain::customer_import::COLUMNS.iter().map(|c| (*c).to_owned()).collect())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ImportAction, ImportReport};
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, to_app_error};
    use crate::backend::services::console::customer_import::{commit, preview};

    /// Previews or commits an uploaded file as the signed-in merchant admin.
    pub async fn run_import(file: &[u8], action: ImportAction) -> Result<ImportReport, AppError> {
        let (state, admin) = crate::api::console::ssr::merchant_admin().await?;
        let report = match action {
            ImportAction::Preview => preview(&state, &admin, file).await,
            ImportAction::Commit => commit(&state, &admin, file).await,
        };
        report.map_err(|e| to_app_error(e, reference()))
    }
}
