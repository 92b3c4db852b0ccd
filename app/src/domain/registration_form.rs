//! The registration forms (REG-5, REG-6, REG-7): one form struct that the browser, the server
//! function and the plain form post all deserialize and validate the same way; which parts
//! apply is decided by the user type's kind.

use super::field::FieldError;
use super::online_access::{OnlineAccessClaim, OnlineAccessFields};
use super::registration::check;
use super::registration::{Confirm, PersonDetails};
use super::{
    CommonPasswords, CompanyDetails, CompanyForm, Email, IndividualForm, IndividualRegistration, OrganizationKind,
    PasswordPolicy, RegistrationFlow, RegistryId,
};

/// A registration form as posted: the person part (REG-5), the company part (REG-6) and the
/// Registry ID (REG-7). Missing fields read as empty and are reported as field errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    #[serde(flatten)]
    pub person: IndividualForm,
    #[serde(flatten)]
    pub company: CompanyForm,
    pub registry_id: String,
    /// OAA-1, OAA-2; OAA-1's billing postal code is the company part's `postal_code`.
    #[serde(flatten)]
    pub online: OnlineAccessFields,
}

/// What decides how a registration form is validated: its user type's flow and the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationRules {
    pub flow: RegistrationFlow,
    pub policy: PasswordPolicy,
    /// REG-10: the business/company phone is required.
    pub mandate_business_phone: bool,
}

/// The organization side of a validated registration.
#[derive(Debug, Clone)]
pub enum Organization {
    /// An individual (REG-5).
    None,
    /// A new company or partner (REG-6).
    New(OrganizationKind, CompanyDetails),
    /// An existing company or partner, by Registry ID (REG-7); the use case checks it exists.
    Existing(OrganizationKind, RegistryId),
}

/// A validated registration, ready for the use case.
#[derive(Debug)]
pub struct Registration {
    pub person: IndividualRegistration,
    pub organization: Organization,
}

/// What a validated registration form asks for.
#[derive(Debug)]
pub enum Submission {
    /// A new customer: an individual, a new company, or a user of an existing one (boxed: the
    /// company part makes it several times the size of a claim).
    New(Box<Registration>),
    /// A login for records that exist already (OAA).
    OnlineAccess(OnlineAccessClaim),
}

/// A validated "Confirm registration" form (PAR-2): the person and organization parts of the
/// chosen type's form, without a username and password (the user has them).
#[derive(Debug)]
pub struct Confirmation {
    pub details: PersonDetails,
    pub organization: Organization,
    pub marketing_opt_in: bool,
}

/// Form order, so the first error reported is the first field a user meets.
const FIELD_ORDER: &[&str] = &[
    "registry_id",
    "company_name",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "company_phone",
    "first_name",
    "last_name",
    "email",
    "phone",
    "username",
    "password",
    "password_confirm",
];

impl RegistrationForm {
    /// Checks every field the flow uses and reports every problem at once, in form order.
    pub fn validate(
        &self,
        rules: &RegistrationRules,
        common: &dyn CommonPasswords,
    ) -> Result<Submission, Vec<FieldError>> {
        if let RegistrationFlow::OnlineAccess { business } = rules.flow {
            return self.validate_online_access(business, rules, common).map(Submission::OnlineAccess);
        }
        let mut errors = Vec::new();
        let organization = self.validate_organization(rules, &mut errors);
        let person = self.person.validate(&rules.policy, common).map_err(|mut more| errors.append(&mut more)).ok();
        match (person, organization) {
            (Some(person), Some(organization)) if errors.is_empty() => {
                Ok(Submission::New(Box::new(Registration { person, organization })))
            }
            _ => Err(in_form_order(errors)),
        }
    }

    /// PAR-2: the chosen type's form without the username and password.
    pub fn validate_confirmation(&self, rules: &RegistrationRules) -> Result<Confirmation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let organization = self.validate_organization(rules, &mut errors);
        let details = self.person.validate_details(&mut errors);
        match (details, organization) {
            (Some(details), Some(organization)) if errors.is_empty() => {
                Ok(Confirmation { details, organization, marketing_opt_in: self.person.marketing_opt_in })
            }
            _ => Err(in_form_order(errors)),
        }
    }

    fn validate_organization(&self, rules: &RegistrationRules, errors: &mut Vec<FieldError>) -> Option<Organization> {
        match rules.flow {
            RegistrationFlow::Individual | RegistrationFlow::OnlineAccess { .. } => Some(Organization::None),
            RegistrationFlow::NewOrganization(kind) => match self.company.validate(rules.mandate_business_phone) {
                Ok(company) => Some(Organization::New(kind, company)),
                Err(mut more) => {
                    errors.append(&mut more);
                    None
                }
            },
            RegistrationFlow::JoinOrganization(kind) => {
                if rules.mandate_business_phone && self.person.phone.trim().is_empty() {
                    errors.push(FieldError::new("phone", "Enter a business phone number"));
                }
                check(errors, "registry_id", RegistryId::parse(&self.registry_id))
                    .map(|id| Organization::Existing(kind, id))
            }
        }
    }

    /// OAA-1 (account number, billing postal code, phone) or OAA-2 (account number, order
    /// number and date, no password confirmation), then the e-mail and the new login, in form
    /// order.
    fn validate_online_access(
        &self,
        business: bool,
        rules: &RegistrationRules,
        common: &dyn CommonPasswords,
    ) -> Result<OnlineAccessClaim, Vec<FieldError>> {
        let mut errors = Vec::new();
        let proof = self.online.validate(business, &self.company.postal_code, &self.person.phone, &mut errors);
        let email = check(&mut errors, "email", Email::parse(&self.person.email));
        let confirm = if business { Confirm::Absent } else { Confirm::Required };
        let credentials = self.person.validate_credentials(&mut errors, &rules.policy, common, confirm);
        match (proof, email, credentials) {
            (Some(proof), Some(email), Some(credentials)) if errors.is_empty() => {
                Ok(OnlineAccessClaim { proof, email, credentials, marketing_opt_in: self.person.marketing_opt_in })
            }
            _ => Err(errors),
        }
    }

    /// The form to render again after a failed submit: values kept, passwords never (REG-14).
    pub fn without_secrets(&self) -> RegistrationForm {
        RegistrationForm { person: self.person.without_secrets(), ..self.clone() }
    }
}

fn in_form_order(mut errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.sort_by_key(|e| FIELD_ORDER.iter().position(|f| *f == e.field).unwrap_or(FIELD_ORDER.len()));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::registration::tests::filled;
    use crate::domain::NoCommonList;

    fn rules(flow: RegistrationFlow) -> RegistrationRules {
        RegistrationRules { flow, policy: PasswordPolicy::default(), mandate_business_phone: false }
    }

    fn posted_registration(body: &str) -> RegistrationForm {
        serde_html_form::from_str(body).unwrap()
    }

    // covers: REG-5, REG-6, REG-7, REG-15
    #[test]
    fn a_plain_form_post_and_json_read_into_the_same_registration_form() {
        let body = "first_name=Jane&last_name=Doe&email=jane%40example.com&username=jane.d\
                    &password=blue+canoe+at+dawn&password_confirm=blue+canoe+at+dawn&marketing_opt_in=on\
                    &company_name=Acme&registry_id=R-7K4Q2M";
        let form = posted_registration(body);
        assert_eq!(form.person.first_name, "Jane");
        assert!(form.person.marketing_opt_in);
        assert_eq!(form.company.company_name, "Acme");
        assert_eq!(form.registry_id, "R-7K4Q2M");
        let json = serde_json::to_string(&form).unwrap();
        assert_eq!(serde_json::from_str::<RegistrationForm>(&json).unwrap(), form);
        assert!(!posted_registration("first_name=Jane").person.marketing_opt_in);
    }

    // covers: REG-5, REG-6, REG-7, REG-14
    #[test]
    fn each_flow_validates_the_parts_it_uses_in_form_order() {
        use crate::domain::OrganizationKind::{Company, Partner};
        let form = RegistrationForm { person: filled(), ..Default::default() };
        let individual = form.validate(&rules(RegistrationFlow::Individual), &NoCommonList).unwrap();
        assert!(matches!(individual, Submission::New(ref r) if matches!(r.organization, Organization::None)));

        let errors = form.validate(&rules(RegistrationFlow::NewOrganization(Company)), &NoCommonList).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["company_name", "address_line1", "city", "postal_code", "country"]);

        let join = RegistrationForm { registry_id: "r-7k4q2m".into(), ..form.clone() };
        let joined = join.validate(&rules(RegistrationFlow::JoinOrganization(Partner)), &NoCommonList).unwrap();
        let Submission::New(joined) = joined else { panic!("a new registration") };
        assert!(matches!(joined.organization, Organization::Existing(Partner, ref id) if id.as_str() == "R-7K4Q2M"));

        let bad = RegistrationForm { registry_id: "nope".into(), person: IndividualForm::default(), ..form };
        let errors = bad.validate(&rules(RegistrationFlow::JoinOrganization(Company)), &NoCommonList).unwrap_err();
        assert_eq!(errors[0].field, "registry_id", "the first field of the form comes first");
    }

    // covers: REG-10
    #[test]
    fn a_mandated_business_phone_is_required_when_joining_a_company() {
        let form = RegistrationForm { person: filled(), registry_id: "R-7K4Q2M".into(), ..Default::default() };
        let rules = RegistrationRules {
            mandate_business_phone: true,
            ..rules(RegistrationFlow::JoinOrganization(OrganizationKind::Company))
        };
        let errors = form.validate(&rules, &NoCommonList).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("phone", "Enter a business phone number")]);
    }

    #[test]
    fn a_registration_form_without_secrets_keeps_no_password() {
        let form = RegistrationForm { person: filled(), ..Default::default() };
        assert_eq!(form.without_secrets().person.password, "");
        assert!(!format!("{form:?}").contains("canoe"));
    }

    // covers: OAA-1
    #[test]
    fn the_individual_online_access_form_asks_the_proof_and_a_new_login_only() {
        let online = rules(RegistrationFlow::OnlineAccess { business: false });
        let errors = RegistrationForm::default().validate(&online, &NoCommonList).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["account_number", "postal_code", "phone", "email", "username", "password"]);
        let form: RegistrationForm = serde_html_form::from_str(
            "account_number=a-100001&postal_code=94105&phone=%2B1+415+555+0100&email=dana%40example.com\
             &username=dana.s&password=blue+canoe+at+dawn&password_confirm=blue+canoe+at+dawn",
        )
        .unwrap();
        let Submission::OnlineAccess(claim) = form.validate(&online, &NoCommonList).unwrap() else {
            panic!("an online-access claim")
        };
        assert_eq!(claim.proof.account_number(), "A-100001");
        assert_eq!(claim.credentials.username.as_str(), "dana.s");
        let mismatch = RegistrationForm {
            person: IndividualForm { password_confirm: "other".into(), ..form.person.clone() },
            ..form
        };
        assert_eq!(mismatch.validate(&online, &NoCommonList).unwrap_err()[0].field, "password_confirm");
    }

    // covers: OAA-2
    #[test]
    fn the_company_online_access_form_has_no_password_confirmation() {
        let online = rules(RegistrationFlow::OnlineAccess { business: true });
        let form: RegistrationForm = serde_html_form::from_str(
            "account_number=A-200001&order_number=O-600001&order_date=2026-02-04&email=lee%40acme.example\
             &username=lee.c&password=blue+canoe+at+dawn",
        )
        .unwrap();
        assert!(matches!(form.validate(&online, &NoCommonList).unwrap(), Submission::OnlineAccess(_)));
    }

    // covers: PAR-2
    #[test]
    fn a_confirmation_asks_the_type_s_form_without_username_and_password() {
        let person = IndividualForm { username: String::new(), password: String::new(), ..filled() };
        let form = RegistrationForm { person, registry_id: "R-7K4Q2M".into(), ..Default::default() };
        let confirmed =
            form.validate_confirmation(&rules(RegistrationFlow::JoinOrganization(OrganizationKind::Company)));
        assert!(matches!(confirmed.unwrap().organization, Organization::Existing(OrganizationKind::Company, _)));
        let errors =
            RegistrationForm::default().validate_confirmation(&rules(RegistrationFlow::Individual)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["first_name", "last_name", "email"]);
    }
}
