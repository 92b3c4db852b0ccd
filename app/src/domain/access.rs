//! Who may use their login right now (LOG-2): one rule, applied at sign-in and again on every
//! request, so a user made inactive or end-dated loses a session they already have.
//!
//! A business user whose contact relationship ended keeps the login but nothing else: their
//! customer record is incomplete (PAR-1), so every secure page and capability sends them to
//! partial registration instead (`domain::partial`). SPEC's LOG-2 lists an inactive contact
//! among those who cannot sign in; PAR-1 and PAR-3 ("if the user's access is later revoked they
//! are sent through partial registration again") need them signed in, and they lose every
//! right either way.

use super::{ContactStatus, UserStatus};

/// What the rule looks at, as stored. Times are epoch milliseconds (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessFacts {
    pub status: UserStatus,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    /// A business user's relationship to their organization; `None` for individuals and staff.
    /// Not part of this rule (see the module's note); PAR-1 reads it.
    pub contact_status: Option<ContactStatus>,
}

/// The answer, in the words sign-in uses (LOG-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Usable,
    /// "Awaiting approval" (REG-13).
    AwaitingApproval,
    /// Inactive user, or outside the start/end dates: "Your access is not active".
    NotActive,
    /// Rejected or deleted: answered like an unknown username.
    Gone,
}

impl AccessFacts {
    pub fn access_at(&self, now_ms: i64) -> Access {
        match self.status {
            UserStatus::Pending => return Access::AwaitingApproval,
            UserStatus::Rejected | UserStatus::Deleted => return Access::Gone,
            UserStatus::Inactive => return Access::NotActive,
            UserStatus::Active => {}
        }
        let dated_out =
            self.start_at.is_some_and(|start| start > now_ms) || self.end_at.is_some_and(|end| end < now_ms);
        if dated_out {
            Access::NotActive
        } else {
            Access::Usable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn facts(status: UserStatus) -> AccessFacts {
        AccessFacts { status, start_at: Some(NOW - 1), end_at: None, contact_status: Some(ContactStatus::Active) }
    }

    // covers: LOG-2, PAR-1
    #[test]
    fn only_an_active_user_in_dates_may_use_the_login() {
        assert_eq!(facts(UserStatus::Active).access_at(NOW), Access::Usable);
        assert_eq!(facts(UserStatus::Pending).access_at(NOW), Access::AwaitingApproval);
        assert_eq!(facts(UserStatus::Inactive).access_at(NOW), Access::NotActive);
        assert_eq!(facts(UserStatus::Rejected).access_at(NOW), Access::Gone);
        assert_eq!(facts(UserStatus::Deleted).access_at(NOW), Access::Gone);
        let future = AccessFacts { start_at: Some(NOW + 1), ..facts(UserStatus::Active) };
        assert_eq!(future.access_at(NOW), Access::NotActive);
        let ended = AccessFacts { end_at: Some(NOW - 1), ..facts(UserStatus::Active) };
        assert_eq!(ended.access_at(NOW), Access::NotActive);
        // PAR-1: the login stays usable; the incomplete record takes every right away.
        let contact = AccessFacts { contact_status: Some(ContactStatus::Inactive), ..facts(UserStatus::Active) };
        assert_eq!(contact.access_at(NOW), Access::Usable);
        let individual = AccessFacts { contact_status: None, ..facts(UserStatus::Active) };
        assert_eq!(individual.access_at(NOW), Access::Usable);
    }
}
