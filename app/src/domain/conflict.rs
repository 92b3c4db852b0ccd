//! Conflicts: the state changed under the user's action. The browser, the plain form post and
//! the integration API match on the code (never on message text) and say it in their own way.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConflictCode {
    /// APR-9: another approver decided the request first.
    AlreadyDecided,
    /// PRO-2: the primary address cannot be removed; another must be made primary first.
    PrimaryEmail,
    /// PRO-2, PRO-5: an address book holds at most `MAX_ADDRESSES` active addresses.
    AddressBookFull,
    /// PRO-2: a phone book holds at most `MAX_PHONES` numbers.
    PhoneBookFull,
    /// REG-10: with `mandate_business_phone` on, a business user keeps a business phone.
    BusinessPhoneRequired,
    /// ADM-3, ADM-4: a change that would leave the company without an active administrator.
    LastAdministrator,
    /// ADM-3, ADM-4: an administrator does not change their own access from the admin pages.
    OwnAccess,
    /// CON-3: the user's status does not allow the action (disabling a user who is not active,
    /// enabling one who is, deleting one already deleted).
    UserStatus,
    /// CON-3: an operator does not disable, delete or reset the password of their own login.
    OwnLogin,
}

impl ConflictCode {
    /// What the user is told.
    pub fn message(self) -> &'static str {
        match self {
            Self::AlreadyDecided => "This request has already been decided",
            Self::PrimaryEmail => "Your primary e-mail address cannot be removed. Make another address primary first",
            Self::AddressBookFull => "The address book is full. Remove an address before adding another",
            Self::PhoneBookFull => "The phone book is full. Remove a number before adding another",
            Self::BusinessPhoneRequired => {
                "Your company requires a business phone number. Add another business number before removing or changing this one"
            }
            Self::LastAdministrator => {
                "Your company needs at least one active administrator. Make someone else an administrator first"
            }
            Self::OwnAccess => "You cannot change your own access. Ask another administrator of your company",
            Self::UserStatus => "The user's status does not allow this (it may have just changed). Reload the page",
            Self::OwnLogin => {
                "You cannot disable, delete or reset the password of your own login. Ask another merchant admin"
            }
        }
    }
}
