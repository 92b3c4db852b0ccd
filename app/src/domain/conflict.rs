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
        }
    }
}
