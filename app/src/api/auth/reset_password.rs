//! `/password/reset/{token}` (LOG-6): whether a link is still live, and setting the password
//! from it — from JavaScript or a plain post (the route's `token` becomes the argument).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::PasswordResetForm;

/// After a reset the user signs in themselves (LOG-6).
pub const RESET_DONE: &str = "/login?notice=password_reset";

/// Whether the link can still be used. Unknown, used and expired links look the same.
#[server(prefix = "/rpc", endpoint = "auth/reset_link")]
pub async fn reset_link_live(token: String) -> Result<bool, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::services::login_help::reset_link_holder;

    let (state, reference) = (state()?, reference());
    Ok(reset_link_holder(&state, &token).await.map_err(|e| to_app_error(e, reference))?.is_some())
}

#[server(prefix = "/rpc", endpoint = "auth/reset_password")]
pub async fn reset_password(token: String, #[server(flatten)] form: PasswordResetForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};

    let (state, reference) = (state()?, reference());
    reset_password_for(&state, &token, &form).await.map_err(|e| to_app_error(e, reference.clone()))?;
    tracing::info!(reference = %reference, "password reset from an e-mailed link");
    Ok(RESET_DONE.to_owned())
}

/// The adapter's work: the link's holder (else `NotFound`), the form validated by the policy
/// and the holder's names, then the use case (which checks the link again, atomically).
#[cfg(feature = "ssr")]
pub async fn reset_password_for(
    state: &crate::backend::AppState,
    token: &str,
    form: &PasswordResetForm,
) -> Result<(), crate::backend::ServiceError> {
    use crate::backend::password::CommonPasswordList;
    use crate::backend::services::login_help::{reset_link_holder, reset_password};
    use crate::backend::services::password_change::password_policy;
    use crate::backend::ServiceError;
    use crate::domain::PasswordContext;

    let holder = reset_link_holder(state, token).await?.ok_or(ServiceError::NotFound)?;
    let policy = password_policy(state).await?;
    let who =
        PasswordContext { username: &holder.username, first_name: &holder.first_name, last_name: &holder.last_name };
    let new = form.validate(&policy, &who, &CommonPasswordList).map_err(ServiceError::Validation)?;
    reset_password(state, token, new).await
}
