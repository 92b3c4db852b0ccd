//! `/profile` (PRO-1): saving Personal information, from JavaScript or a plain post (the
//! generic form handler runs this same function).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::ProfileForm;

pub const SAVED: &str = "/profile?notice=saved";
/// The page then shows the neutral "we have sent a confirmation link" status (PRO-1).
pub const CONFIRMATION_SENT: &str = "/profile?notice=confirmation_sent";

#[server(prefix = "/rpc", endpoint = "profile/save")]
pub async fn save_profile(#[server(flatten)] form: ProfileForm) -> Result<String, AppError> {
    use super::ssr::{failed, me};

    let (state, who) = me().await?;
    save_profile_for(&state, &who, &form).await.map_err(failed)
}

/// The adapter's work: the form validated as the browser does, then the use case; where to go.
#[cfg(feature = "ssr")]
pub async fn save_profile_for(
    state: &crate::backend::AppState,
    who: &crate::backend::authz::SignedIn,
    form: &ProfileForm,
) -> Result<String, crate::backend::ServiceError> {
    use crate::backend::services::email_addresses::PrimaryChange;
    use crate::backend::services::profile::save_profile;
    use crate::backend::ServiceError;

    let change = form.validate().map_err(ServiceError::Validation)?;
    let next = match save_profile(state, who, &change).await? {
        PrimaryChange::Unchanged | PrimaryChange::Switched => SAVED,
        PrimaryChange::ConfirmationSent => CONFIRMATION_SENT,
    };
    Ok(next.to_owned())
}
