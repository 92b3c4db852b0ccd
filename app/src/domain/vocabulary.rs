//! The product's vocabulary (SPEC glossary): statuses and kinds as enums. The database stores
//! each as its `Display` string; the store converts once with `FromStr`, and code matches on
//! the variants exhaustively — no string comparison against these anywhere else.
//!
//! `strum` derives both directions from one spelling per variant, so they cannot drift.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

/// A login's life cycle (REG-8, REG-13, LOG-2, CON-3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Awaiting approval; the username is reserved (REG-8).
    Pending,
    Active,
    Inactive,
    /// Its registration was rejected; the username is released (REJ-1).
    Rejected,
    /// Deleted by a merchant admin; the username is released (CON-3).
    Deleted,
}

/// What a request asks for (APR-4: "Registration" / "Enrollment").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Registration,
    Enrollment,
}

impl RequestKind {
    /// The request type as the queue shows it (APR-4).
    pub fn label(self) -> &'static str {
        match self {
            Self::Registration => "Registration",
            Self::Enrollment => "Enrollment",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
}

/// One approver's decision on one step, as recorded (APR-2, APR-7).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
    /// The step timed out and the request moved on (APR-7).
    Rerouted,
}

/// Persons, contacts, organizations, accounts and addresses are active or not (REJ-1, REJ-4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Active,
    Inactive,
}

/// A contact's status: a person's relationship to an organization (ADM-1, PAR-1).
pub type ContactStatus = RecordStatus;

/// How a person relates to an organization (ADM-1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    EmployeeOf,
    ContactOf,
}

/// A customer company is a plain company or a partner (REG-4, REG-7). Stored as the
/// organization's partner flag.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    Company,
    Partner,
}

impl OrganizationKind {
    pub fn from_partner_flag(is_partner: bool) -> Self {
        if is_partner {
            Self::Partner
        } else {
            Self::Company
        }
    }

    pub fn is_partner(self) -> bool {
        match self {
            Self::Company => false,
            Self::Partner => true,
        }
    }
}

/// What a user type registers (CON-1: "decides which registration handler and which
/// organization rules apply").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum UserTypeKind {
    Individual,
    CompanyAdmin,
    CompanyBusiness,
    PartnerAdmin,
    PartnerBusiness,
    OnlineAccessIndividual,
    OnlineAccessBusiness,
}

/// The registration form and use case a user type's kind calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationFlow {
    /// REG-5: a person on their own.
    Individual,
    /// REG-6: a new organization of this kind and its first (primary) user.
    NewOrganization(OrganizationKind),
    /// REG-7: a user of an existing organization of this kind, found by Registry ID.
    JoinOrganization(OrganizationKind),
    /// OAA-1 / OAA-2: a login for records that already exist.
    OnlineAccess { business: bool },
}

impl RegistrationFlow {
    /// Whether the form asks for an existing organization's Registry ID (REG-7).
    pub fn joins_organization(self) -> bool {
        matches!(self, RegistrationFlow::JoinOrganization(_))
    }

    /// Whether the form asks for a new organization's details (REG-6).
    pub fn creates_organization(self) -> bool {
        matches!(self, RegistrationFlow::NewOrganization(_))
    }
}

impl UserTypeKind {
    pub fn flow(self) -> RegistrationFlow {
        use OrganizationKind::{Company, Partner};
        match self {
            Self::Individual => RegistrationFlow::Individual,
            Self::CompanyAdmin => RegistrationFlow::NewOrganization(Company),
            Self::PartnerAdmin => RegistrationFlow::NewOrganization(Partner),
            Self::CompanyBusiness => RegistrationFlow::JoinOrganization(Company),
            Self::PartnerBusiness => RegistrationFlow::JoinOrganization(Partner),
            Self::OnlineAccessIndividual => RegistrationFlow::OnlineAccess { business: false },
            Self::OnlineAccessBusiness => RegistrationFlow::OnlineAccess { business: true },
        }
    }
}

/// Who decides one step of an approval definition (APR-2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, EnumIter, Serialize, Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ApproverKind {
    /// The registrant's company's primary users: any one decides for the step.
    PrimaryUsers,
    /// One named user.
    User,
    /// An approval group (APR-3).
    Group,
    /// The universal approver (setting `universal_approver`).
    Universal,
}

/// The seeded permission codes of SPEC §7.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Permission {
    PendingApprovals,
    PendingApprovalsGroup,
    ManageContacts,
    ManageUsers,
    AssignRoles,
    AssignSites,
    AssignAccounts,
    ManageRoles,
    OrgDetails,
    UpdateOrgDetails,
    OrgAdministrators,
    ViewAccounts,
}

/// The permissions a user holds now (roles in force only). Unknown codes in the database
/// (a permission added later) are skipped, never guessed at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet(std::collections::BTreeSet<Permission>);

impl PermissionSet {
    pub fn holds(&self, permission: Permission) -> bool {
        self.0.contains(&permission)
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-4, REG-8, APR-2, APR-4, ADM-9, CON-1
    use std::fmt::Display;
    use std::str::FromStr;

    use strum::IntoEnumIterator;

    use super::*;

    /// Every variant's stored string parses back to the variant, and strings are distinct.
    fn round_trips<T>(expected: &[&str])
    where
        T: IntoEnumIterator + Display + FromStr + PartialEq + std::fmt::Debug,
        <T as FromStr>::Err: std::fmt::Debug,
    {
        let stored: Vec<String> = T::iter().map(|v| v.to_string()).collect();
        assert_eq!(stored, expected, "the strings the database stores");
        for variant in T::iter() {
            assert_eq!(T::from_str(&variant.to_string()).unwrap(), variant);
        }
        assert!(T::from_str("no-such-value").is_err());
    }

    #[test]
    fn statuses_round_trip_through_their_stored_strings() {
        round_trips::<UserStatus>(&["pending", "active", "inactive", "rejected", "deleted"]);
        round_trips::<RequestStatus>(&["pending", "approved", "rejected"]);
        round_trips::<RecordStatus>(&["active", "inactive"]);
        round_trips::<Decision>(&["approved", "rejected", "rerouted"]);
    }

    #[test]
    fn kinds_round_trip_through_their_stored_strings() {
        round_trips::<RequestKind>(&["registration", "enrollment"]);
        round_trips::<ContactKind>(&["employee_of", "contact_of"]);
        round_trips::<OrganizationKind>(&["company", "partner"]);
        round_trips::<ApproverKind>(&["primary_users", "user", "group", "universal"]);
        round_trips::<UserTypeKind>(&[
            "individual",
            "company_admin",
            "company_business",
            "partner_admin",
            "partner_business",
            "online_access_individual",
            "online_access_business",
        ]);
    }

    #[test]
    fn permissions_are_the_seeded_codes_of_section_7() {
        round_trips::<Permission>(&[
            "PENDING_APPROVALS",
            "PENDING_APPROVALS_GROUP",
            "MANAGE_CONTACTS",
            "MANAGE_USERS",
            "ASSIGN_ROLES",
            "ASSIGN_SITES",
            "ASSIGN_ACCOUNTS",
            "MANAGE_ROLES",
            "ORG_DETAILS",
            "UPDATE_ORG_DETAILS",
            "ORG_ADMINISTRATORS",
            "VIEW_ACCOUNTS",
        ]);
    }

    #[test]
    fn serde_uses_the_stored_strings() {
        assert_eq!(serde_json::to_string(&Permission::PendingApprovalsGroup).unwrap(), "\"PENDING_APPROVALS_GROUP\"");
        assert_eq!(serde_json::to_string(&UserTypeKind::OnlineAccessBusiness).unwrap(), "\"online_access_business\"");
    }

    #[test]
    fn each_user_type_kind_names_its_registration_flow() {
        use OrganizationKind::{Company, Partner};
        assert_eq!(UserTypeKind::Individual.flow(), RegistrationFlow::Individual);
        assert_eq!(UserTypeKind::CompanyAdmin.flow(), RegistrationFlow::NewOrganization(Company));
        assert_eq!(UserTypeKind::PartnerAdmin.flow(), RegistrationFlow::NewOrganization(Partner));
        assert_eq!(UserTypeKind::CompanyBusiness.flow(), RegistrationFlow::JoinOrganization(Company));
        assert_eq!(UserTypeKind::PartnerBusiness.flow(), RegistrationFlow::JoinOrganization(Partner));
        assert_eq!(UserTypeKind::OnlineAccessBusiness.flow(), RegistrationFlow::OnlineAccess { business: true });
    }

    #[test]
    fn a_permission_set_answers_holds() {
        let set: PermissionSet = [Permission::ManageContacts, Permission::PendingApprovals].into_iter().collect();
        assert!(set.holds(Permission::PendingApprovals));
        assert!(!set.holds(Permission::PendingApprovalsGroup));
        assert_eq!(set.iter().count(), 2);
    }
}
