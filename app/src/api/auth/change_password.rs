//! `/password/change` (LOG-3, LOG-6): from JavaScript (this server function) or a plain post
//! (the generic form handler runs this same function).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::PasswordChangeForm;

#[server(prefix = "/rpc", endpoint = "auth/change_password")]
pub async fn change_password(#[server(flatten)] form: PasswordChangeForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, session, start_session, state, to_app_error};
    use crate::backend::ServiceError;

    let (state, session, reference) = (state()?, session().await?, reference());
    let caller = match crate::api::capability::caller().await {
        Ok(caller) => caller,
        Err(unauthenticated) => {
            // LOG-2: a session whose user may no longer sign in is ended, not just refused.
            let _ = session.flush().await;
            return Err(unauthenticated);
        }
    };
    change_password_for(&state, &caller, &form).await.map_err(|e| match e {
        ServiceError::Unauthenticated => AppError::Unauthenticated,
        other => to_app_error(other, reference.clone()),
    })?;
    // SEC-2: the change ended every session of the user; this browser gets a fresh one.
    start_session(&session, caller.user_id(), state.now_ms())
        .await
        .map_err(|_| AppError::Internal { reference: reference.clone() })?;
    Ok("/?notice=password_changed".to_owned())
}

/// The adapter's work: the form validated by the policy and the caller's names (the same
/// `validate` the browser runs, plus the common-password list), then the use case.
#[cfg(feature = "ssr")]
pub async fn change_password_for(
    state: &crate::backend::AppState,
    caller: &crate::backend::authz::Caller,
    form: &PasswordChangeForm,
) -> Result<(), crate::backend::ServiceError> {
    use crate::backend::password::CommonPasswordList;
    use crate::backend::services::password_change::{change_password, password_policy};
    use crate::backend::ServiceError;

    let policy = password_policy(state).await?;
    let change =
        form.validate(&policy, &caller.password_context(), &CommonPasswordList).map_err(ServiceError::Validation)?;
    change_password(state, &caller.authenticated(), change).await
}
