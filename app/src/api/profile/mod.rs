//! The signed-in user's own profile (PRO-1, PRO-2 e-mail addresses, PRO-4): what the pages
//! show, and one server function per file for each action.

pub mod add_email;
pub mod addresses;
pub mod confirm_email;
pub mod details;
pub mod emails;
pub mod make_primary;
pub mod phones;
pub mod preferences;
pub mod remove_email;
pub mod save_preferences;
pub mod save_profile;

use serde::{Deserialize, Serialize};

/// Personal information (PRO-1), as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// The notification language's code (NOT-4).
    pub language: String,
    /// A new primary address waiting for confirmation.
    pub pending_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailEntry {
    pub id: String,
    pub address: String,
    pub is_primary: bool,
}

/// The person's addresses (PRO-2): stored ones, and those waiting for confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailBookData {
    pub stored: Vec<EmailEntry>,
    pub waiting: Vec<String>,
}

/// One change of the marketing opt-in (REG-11): value, when, where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptInChange {
    pub opted_in: bool,
    pub when: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesData {
    pub marketing_opt_in: bool,
    pub language: String,
    pub history: Vec<OptInChange>,
}

/// The languages the selects offer (NOT-4), as (code, name).
pub fn language_options() -> Vec<(String, String)> {
    crate::domain::Language::ALL
        .iter()
        .map(|language| {
            let name = match language {
                crate::domain::Language::English => "English",
            };
            (language.code().to_owned(), name.to_owned())
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::authz::SignedIn;
    use crate::backend::AppState;

    /// The state and the caller's capability: every profile function acts for the caller's
    /// own person only (SEC-5).
    pub async fn me() -> Result<(AppState, SignedIn), AppError> {
        let caller = crate::api::capability::caller().await?;
        Ok((state()?, caller.signed_in().map_err(|e| to_app_error(e, reference()))?))
    }

    pub fn failed(e: crate::backend::ServiceError) -> AppError {
        to_app_error(e, reference())
    }
}
