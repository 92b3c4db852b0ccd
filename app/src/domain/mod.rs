//! The nouns and rules of SPEC.md, free of I/O: compiles for the server and for the browser.

pub mod access;
pub mod address;
pub mod admin_contact;
pub mod admin_role;
pub mod approval;
pub mod approval_setup;
pub mod catalog;
pub mod checkbox;
pub mod company;
pub mod company_profile;
pub mod conflict;
pub mod console_user;
pub mod contact_book;
pub mod country;
pub mod credentials;
pub mod customer_import;
pub mod email;
pub mod field;
pub mod integration;
pub mod language;
pub mod login_help;
pub mod online_access;
pub mod partial;
pub mod password;
pub mod person_name;
pub mod phone;
pub mod postal_code;
pub mod profile;
pub mod registration;
pub mod registration_form;
pub mod registry_id;
pub mod safe_ref;
pub mod settings_form;
pub mod user_type_form;
pub mod username;
pub mod vocabulary;

pub use access::{Access, AccessFacts};
pub use address::{AddressEntry, AddressForm, AddressUsage, PostalAddress};
pub use admin_role::{permission_label, permission_list, RoleDefinition, RoleForm};
pub use approval::{DecisionForm, DecisionInput};
pub use company::{CompanyDetails, CompanyForm};
pub use company_profile::{CompanyProfile, CompanyProfileForm};
pub use conflict::ConflictCode;
pub use contact_book::{PhoneEntry, PhoneForm, PhoneKind};
pub use country::{CountryCode, CountryCodeError, COUNTRIES};
pub use credentials::{Credentials, PasswordChange, PasswordChangeForm, SignInForm, SignInRefusal};
pub use email::{Email, EmailError};
pub use field::{message_for, FieldError, FieldErrors};
pub use language::Language;
pub use login_help::{ForgotLoginForm, LoginHelpRequest, PasswordResetForm};
pub use online_access::{OnlineAccessClaim, OnlineAccessFields, OnlineAccessRefusal, Proof};
pub use partial::{BusinessFacts, Completeness, Known, RecordFacts};
pub use password::{
    confirm_matches, CommonPasswords, NoCommonList, Password, PasswordContext, PasswordError, PasswordPolicy,
};
pub use person_name::{CompanyName, CompanyNameError, PersonName, PersonNameError};
pub use phone::{Phone, PhoneError};
pub use postal_code::{PostalCode, PostalCodeError};
pub use profile::{EmailAddForm, PreferencesChange, PreferencesForm, ProfileChange, ProfileForm};
pub use registration::{Confirm, IndividualForm, IndividualRegistration, NewCredentials, PersonDetails};
pub use registration_form::{
    Confirmation, Organization, Registration, RegistrationForm, RegistrationRules, Submission,
};
pub use registry_id::{RegistryId, RegistryIdError, REGISTRY_ID_ALPHABET};
pub use safe_ref::{safe_ref, with_ref};
pub use user_type_form::{UserTypeDefinition, UserTypeForm};
pub use username::{Username, UsernameError};
pub use vocabulary::{
    ApproverKind, ContactKind, ContactStatus, Decision, OrganizationKind, Permission, PermissionSet, RecordStatus,
    RegistrationFlow, RequestKind, RequestStatus, UserStatus, UserTypeKind,
};
