//! One load of the caller per request: the header, the page and every server function one
//! render runs share it (they would otherwise each read the user, roles and settings again).

use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{Caller, SessionChoice};
use crate::backend::error::ServiceError;
use crate::backend::state::AppState;

/// Provided fresh for each request (Leptos context, request extensions).
#[derive(Debug, Clone, Default)]
pub struct CallerCache(Arc<OnceCell<Option<Caller>>>);

impl CallerCache {
    /// The caller behind the session's user, loaded at most once for this request.
    pub async fn get_or_load(
        &self,
        state: &AppState,
        session: Option<(String, SessionChoice)>,
    ) -> Result<Option<Caller>, ServiceError> {
        let loaded = self
            .0
            .get_or_try_init(|| async {
                match session {
                    Some((id, choice)) => Caller::load(state, &id, &choice).await,
                    None => Ok(None),
                }
            })
            .await?;
        Ok(loaded.clone())
    }
}
