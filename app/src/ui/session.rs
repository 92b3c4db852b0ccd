//! Who is signed in, as the header and the pages see it (LOG-5): one resource for the whole app,
//! refetched after sign-in or registration.

use leptos::prelude::*;

use crate::api::types::SessionUser;
use crate::api::AppError;

/// Who is signed in, refetched whenever `version` changes (sign-in, registration).
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub version: RwSignal<u32>,
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

impl SessionContext {
    pub fn changed(&self) {
        self.version.update(|v| *v += 1);
    }
}
