//! Conflicts: the state changed under the user's action. The browser, the plain form post and
//! the integration API match on the code (never on message text) and say it in their own way.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConflictCode {
    /// APR-9: another approver decided the request first.
    AlreadyDecided,
    /// PRO-2: the primary address cannot be removed; another must be made primary first.
    PrimaryEmail,
}

impl ConflictCode {
    /// What the user is told.
    pub fn message(self) -> &'static str {
        match self {
            Self::AlreadyDecided => "This request has already been decided",
            Self::PrimaryEmail => "Your primary e-mail address cannot be removed. Make another address primary first",
        }
    }
}
