//! Conflicts: the state changed under the user's action. The browser, the plain form post and
//! the integration API match on the code (never on message text) and say it in their own way.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConflictCode {
    /// APR-9: another approver decided the request first.
    AlreadyDecided,
}

impl ConflictCode {
    /// What the user is told.
    pub fn message(self) -> &'static str {
        match self {
            Self::AlreadyDecided => "This request has already been decided",
        }
    }
}
