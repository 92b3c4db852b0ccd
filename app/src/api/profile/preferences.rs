//! `/profile/preferences` (PRO-4): the opt-in with its history (REG-11) and the notification
//! language (NOT-4).

use leptos::prelude::*;

use super::PreferencesData;
use crate::api::error::AppError;

/// `2027-01-15T08:00:00Z` as `2027-01-15 08:00 UTC`.
#[cfg(feature = "ssr")]
fn readable(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

#[server(prefix = "/rpc", endpoint = "profile/preferences")]
pub async fn my_preferences() -> Result<PreferencesData, AppError> {
    use super::ssr::{failed, me};
    use super::OptInChange;
    use crate::backend::clock::format_ms;
    use crate::backend::services::profile::preferences;
    use crate::backend::store::persons::PreferenceSource;

    let (state, who) = me().await?;
    let prefs = preferences(&state, &who).await.map_err(failed)?;
    let source = |stored: &str| match PreferenceSource::from_stored(stored) {
        Some(PreferenceSource::Registration) => "Registration",
        Some(PreferenceSource::Profile) => "Your profile",
        Some(PreferenceSource::PrimaryUser) => "Your company's administrator",
        Some(PreferenceSource::Console) => "Customer service",
        Some(PreferenceSource::Import) => "Import",
        None => "Other",
    };
    Ok(PreferencesData {
        marketing_opt_in: prefs.marketing_opt_in,
        language: prefs.language.code().to_owned(),
        history: prefs
            .history
            .iter()
            .rev()
            .map(|c| OptInChange {
                opted_in: c.value == "opted_in",
                when: readable(&format_ms(c.changed_at)),
                source: source(&c.source).to_owned(),
            })
            .collect(),
    })
}
