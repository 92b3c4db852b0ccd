//! Partial registration (PAR-1): whether a signed-in user's customer record is complete, and
//! which user types fit what is known about an incomplete one.

use super::{RequestStatus, UserTypeKind};

/// What the rule looks at, as stored for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFacts {
    /// The merchant's own staff have no customer record to complete.
    pub is_merchant_admin: bool,
    pub person_active: bool,
    /// For a business user: the organization is a partner, and the contact relationship is
    /// active (`false` when there is none).
    pub business: Option<BusinessFacts>,
    /// The user's type is a partner user type (partner administrator or business user).
    pub partner_user: bool,
    /// An account of the person (individuals) or of the organization (business users). Any
    /// account counts, active or not: a company whose accounts were all made inactive stays
    /// administrable, and its primary users get a new one on the next approval (APR-5,
    /// `auto_create_account`); only a record that never had one is incomplete.
    pub has_account: bool,
    /// The status of the user's latest registration request, if any.
    pub last_registration: Option<RequestStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessFacts {
    pub is_partner_organization: bool,
    pub contact_active: bool,
}

/// The answer of PAR-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// A confirmation waits for approval: the pending page, not the form again (PAR-2).
    AwaitingApproval,
    /// Secure pages send the user to `/register/confirm`, which offers the types `Known` fits.
    Partial(Known),
}

/// PAR-1's left column: what is known about an incomplete user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Known {
    /// Nothing, or an individual: every active type.
    Nothing,
    BusinessUserOfCompany,
    BusinessUserOfPartner,
    PartnerUserOfPartner,
}

impl RecordFacts {
    pub fn completeness(&self) -> Completeness {
        if self.is_merchant_admin {
            return Completeness::Complete;
        }
        match self.last_registration {
            Some(RequestStatus::Pending) => return Completeness::AwaitingApproval,
            Some(RequestStatus::Rejected) => return Completeness::Partial(self.known()),
            Some(RequestStatus::Approved) | None => {}
        }
        let contact_active = self.business.is_none_or(|b| b.contact_active);
        if self.person_active && contact_active && self.has_account {
            Completeness::Complete
        } else {
            Completeness::Partial(self.known())
        }
    }

    fn known(&self) -> Known {
        match self.business {
            None => Known::Nothing,
            Some(BusinessFacts { is_partner_organization: false, .. }) => Known::BusinessUserOfCompany,
            Some(BusinessFacts { is_partner_organization: true, .. }) if self.partner_user => {
                Known::PartnerUserOfPartner
            }
            Some(BusinessFacts { is_partner_organization: true, .. }) => Known::BusinessUserOfPartner,
        }
    }
}

impl Known {
    /// PAR-1's right column. Online-access types are never offered: they create a login, and
    /// this user has one (their records are completed by the other types' forms).
    pub fn offers(self, kind: UserTypeKind) -> bool {
        use UserTypeKind::*;
        match self {
            Known::Nothing => !matches!(kind, OnlineAccessIndividual | OnlineAccessBusiness),
            Known::BusinessUserOfCompany => matches!(kind, CompanyBusiness | PartnerAdmin),
            Known::BusinessUserOfPartner => matches!(kind, CompanyBusiness | PartnerBusiness),
            Known::PartnerUserOfPartner => matches!(kind, PartnerBusiness),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    fn complete_individual() -> RecordFacts {
        RecordFacts {
            is_merchant_admin: false,
            person_active: true,
            business: None,
            partner_user: false,
            has_account: true,
            last_registration: Some(RequestStatus::Approved),
        }
    }

    fn business(partner: bool, contact_active: bool) -> RecordFacts {
        RecordFacts {
            business: Some(BusinessFacts { is_partner_organization: partner, contact_active }),
            ..complete_individual()
        }
    }

    // covers: PAR-1
    #[test]
    fn an_incomplete_record_or_a_rejected_registration_is_partial() {
        assert_eq!(complete_individual().completeness(), Completeness::Complete);
        assert_eq!(business(false, true).completeness(), Completeness::Complete);
        let bare = RecordFacts { has_account: false, last_registration: None, ..complete_individual() };
        assert_eq!(bare.completeness(), Completeness::Partial(Known::Nothing));
        let inactive_person = RecordFacts { person_active: false, ..complete_individual() };
        assert_eq!(inactive_person.completeness(), Completeness::Partial(Known::Nothing));
        assert_eq!(business(false, false).completeness(), Completeness::Partial(Known::BusinessUserOfCompany));
        let no_account = RecordFacts { has_account: false, ..business(true, true) };
        assert_eq!(no_account.completeness(), Completeness::Partial(Known::BusinessUserOfPartner));
        let rejected = RecordFacts { last_registration: Some(RequestStatus::Rejected), ..business(true, true) };
        let partner_user = RecordFacts { partner_user: true, ..rejected };
        assert_eq!(partner_user.completeness(), Completeness::Partial(Known::PartnerUserOfPartner));
        let waiting = RecordFacts { last_registration: Some(RequestStatus::Pending), ..bare };
        assert_eq!(waiting.completeness(), Completeness::AwaitingApproval);
        let staff = RecordFacts { is_merchant_admin: true, ..bare };
        assert_eq!(staff.completeness(), Completeness::Complete);
    }

    // covers: PAR-1
    #[test]
    fn the_types_offered_are_the_rows_of_the_table() {
        let offered = |known: Known| -> Vec<String> {
            UserTypeKind::iter().filter(|k| known.offers(*k)).map(|k| k.to_string()).collect()
        };
        assert_eq!(
            offered(Known::Nothing),
            ["individual", "company_admin", "company_business", "partner_admin", "partner_business"]
        );
        assert_eq!(offered(Known::BusinessUserOfCompany), ["company_business", "partner_admin"]);
        assert_eq!(offered(Known::BusinessUserOfPartner), ["company_business", "partner_business"]);
        assert_eq!(offered(Known::PartnerUserOfPartner), ["partner_business"]);
    }
}
