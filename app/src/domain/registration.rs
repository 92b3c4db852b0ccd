//! The registration forms (REG-5, REG-6, REG-7) and their all-at-once validation (REG-14): one
//! form struct that the browser, the server function and the plain form post all deserialize
//! and validate the same way; which parts apply is decided by the user type's kind.

use super::field::FieldError;
use super::{
    confirm_matches, CommonPasswords, CompanyDetails, CompanyForm, Email, OrganizationKind, Password, PasswordContext,
    PasswordPolicy, PersonName, Phone, RegistrationFlow, RegistryId, Username,
};
use std::fmt;

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
    ) -> Result<Registration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let organization = match rules.flow {
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
                check(&mut errors, "registry_id", RegistryId::parse(&self.registry_id))
                    .map(|id| Organization::Existing(kind, id))
            }
        };
        let person = self.person.validate(&rules.policy, common).map_err(|mut more| errors.append(&mut more)).ok();
        match (person, organization) {
            (Some(person), Some(organization)) if errors.is_empty() => Ok(Registration { person, organization }),
            _ => {
                errors.sort_by_key(|e| FIELD_ORDER.iter().position(|f| *f == e.field).unwrap_or(FIELD_ORDER.len()));
                Err(errors)
            }
        }
    }

    /// The form to render again after a failed submit: values kept, passwords never (REG-14).
    pub fn without_secrets(&self) -> RegistrationForm {
        RegistrationForm { person: self.person.without_secrets(), ..self.clone() }
    }
}

/// A validated individual registration, ready for the use case.
#[derive(Debug)]
pub struct IndividualRegistration {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<Phone>,
    pub username: Username,
    pub password: Password,
    pub marketing_opt_in: bool,
}

/// The form as posted; field names are the HTML `name` attributes of REG-5. Missing fields
/// read as empty, so they are reported as field errors rather than as a malformed request.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct IndividualForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub username: String,
    pub password: String,
    pub password_confirm: String,
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub marketing_opt_in: bool,
}

impl IndividualForm {
    /// Checks every field and reports every problem at once, in form order.
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
    ) -> Result<IndividualRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let first_name = check(&mut errors, "first_name", PersonName::parse(&self.first_name));
        let last_name = check(&mut errors, "last_name", PersonName::parse(&self.last_name));
        let email = check(&mut errors, "email", Email::parse(&self.email));
        // The phone is optional (REG-5): blank means none, anything else must be valid.
        let phone = match self.phone.trim() {
            "" => Some(None),
            raw => check(&mut errors, "phone", Phone::parse(raw).map(Some)),
        };
        let username = check(&mut errors, "username", Username::parse(&self.username));
        let password = self.check_password(&mut errors, policy, common);
        if !self.password.is_empty() {
            if self.password_confirm.is_empty() {
                errors.push(FieldError::new("password_confirm", "Confirm your password"));
            } else if let Err(message) = confirm_matches(&self.password, &self.password_confirm) {
                errors.push(FieldError::new("password_confirm", message));
            }
        }
        match (first_name, last_name, email, phone, username, password) {
            (Some(first_name), Some(last_name), Some(email), Some(phone), Some(username), Some(password))
                if errors.is_empty() =>
            {
                Ok(IndividualRegistration {
                    first_name,
                    last_name,
                    email,
                    phone,
                    username,
                    password,
                    marketing_opt_in: self.marketing_opt_in,
                })
            }
            _ => Err(errors),
        }
    }

    fn check_password(
        &self,
        errors: &mut Vec<FieldError>,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
    ) -> Option<Password> {
        // A blank password deserves "enter one", not "must be at least 12 characters".
        if self.password.is_empty() {
            errors.push(FieldError::new("password", "Enter a password"));
            return None;
        }
        let ctx =
            PasswordContext { username: &self.username, first_name: &self.first_name, last_name: &self.last_name };
        let parsed = Password::parse(self.password.clone(), policy, &ctx, common);
        check(errors, "password", parsed)
    }

    /// The form to render again after a failed submit: entered values kept, passwords never
    /// (REG-14).
    pub fn without_secrets(&self) -> IndividualForm {
        IndividualForm { password: String::new(), password_confirm: String::new(), ..self.clone() }
    }
}

fn check<T, E: fmt::Display>(errors: &mut Vec<FieldError>, field: &str, result: Result<T, E>) -> Option<T> {
    result.map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok()
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for IndividualForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndividualForm")
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("username", &self.username)
            .field("password", &"***")
            .field("password_confirm", &"***")
            .field("marketing_opt_in", &self.marketing_opt_in)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    // covers: REG-5, REG-9, REG-11, REG-14, SEC-7
    use super::*;
    use crate::domain::{message_for, NoCommonList};
    use serde::de::value::{Error as ValueError, MapDeserializer};
    use serde::Deserialize;

    fn filled() -> IndividualForm {
        IndividualForm {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: "jane@example.com".into(),
            phone: String::new(),
            username: "jane.d".into(),
            password: "blue canoe at dawn".into(),
            password_confirm: "blue canoe at dawn".into(),
            marketing_opt_in: false,
        }
    }

    fn validate(form: &IndividualForm) -> Result<IndividualRegistration, Vec<FieldError>> {
        form.validate(&PasswordPolicy::default(), &NoCommonList)
    }

    /// Deserialises like an HTML form post: every value arrives as a string.
    fn from_post(pairs: &[(&'static str, &'static str)]) -> IndividualForm {
        let map = MapDeserializer::<_, ValueError>::new(pairs.iter().copied());
        IndividualForm::deserialize(map).unwrap()
    }

    #[test]
    fn a_complete_form_becomes_a_registration() {
        let mut form = filled();
        form.phone = " +1 415 555 0100 ".into();
        form.marketing_opt_in = true;
        let reg = validate(&form).unwrap();
        assert_eq!(reg.first_name.as_str(), "Jane");
        assert_eq!(reg.username.as_str(), "jane.d");
        assert_eq!(reg.phone.unwrap().as_str(), "+1 415 555 0100");
        assert_eq!(reg.password.expose_secret(), "blue canoe at dawn");
        assert!(reg.marketing_opt_in);
    }

    #[test]
    fn a_blank_phone_is_none() {
        let mut form = filled();
        form.phone = "   ".into();
        assert!(validate(&form).unwrap().phone.is_none());
    }

    #[test]
    fn an_empty_form_reports_every_mandatory_field_at_once() {
        let errors = validate(&IndividualForm::default()).unwrap_err();
        let expected = [
            ("first_name", "Enter a name"),
            ("last_name", "Enter a name"),
            ("email", "Enter an e-mail address"),
            ("username", "Enter a username"),
            ("password", "Enter a password"),
        ];
        let actual: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn invalid_fields_are_reported_under_their_form_names() {
        let form = IndividualForm {
            email: "jane@".into(),
            phone: "call me".into(),
            username: "jd".into(),
            password: "jane.d rocks!".into(),
            password_confirm: "jane.d rocks".into(),
            ..filled()
        };
        let errors = validate(&form).unwrap_err();
        assert_eq!(errors.len(), 5);
        let msg = |field| message_for(&errors, field);
        assert_eq!(msg("email"), Some("Enter a valid e-mail address, like name@example.com"));
        assert_eq!(msg("phone"), Some("Enter a phone number, like +1 415 555 0100"));
        assert_eq!(msg("username"), Some("Username must be at least 3 characters"));
        assert_eq!(msg("password"), Some("Password must not contain your username or name"));
        assert_eq!(msg("password_confirm"), Some("Passwords do not match"));
    }

    #[test]
    fn password_rules_come_from_the_policy_and_the_common_list() {
        struct Everything;
        impl CommonPasswords for Everything {
            fn contains(&self, _: &str) -> bool {
                true
            }
        }
        let errors = filled().validate(&PasswordPolicy::default(), &Everything).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("password", "This password is too common")]);
        let short = IndividualForm { password: "short".into(), password_confirm: "short".into(), ..filled() };
        assert_eq!(
            message_for(&validate(&short).unwrap_err(), "password"),
            Some("Password must be at least 12 characters")
        );
    }

    #[test]
    fn a_missing_confirmation_asks_for_it() {
        let form = IndividualForm { password_confirm: String::new(), ..filled() };
        assert_eq!(validate(&form).unwrap_err(), vec![FieldError::new("password_confirm", "Confirm your password")]);
    }

    #[test]
    fn without_secrets_keeps_values_but_never_passwords() {
        let form = IndividualForm { marketing_opt_in: true, ..filled() };
        let kept = form.without_secrets();
        assert_eq!(kept.password, "");
        assert_eq!(kept.password_confirm, "");
        assert_eq!(kept.email, form.email);
        assert!(kept.marketing_opt_in);
    }

    #[test]
    fn debug_redacts_passwords() {
        let printed = format!("{:?}", filled());
        assert!(printed.contains("jane@example.com"));
        assert!(!printed.contains("canoe"));
    }

    #[test]
    fn an_unchecked_checkbox_is_absent_and_means_no() {
        let form = from_post(&[("first_name", "Jane"), ("email", "jane@example.com")]);
        assert_eq!(form.first_name, "Jane");
        assert_eq!(form.password, "");
        assert!(!form.marketing_opt_in);
        assert!(from_post(&[("marketing_opt_in", "on")]).marketing_opt_in);
    }

    #[test]
    fn json_booleans_round_trip() {
        let form = IndividualForm { marketing_opt_in: true, ..filled() };
        let json = serde_json::to_string(&form).unwrap();
        assert!(json.contains(r#""marketing_opt_in":true"#));
        assert_eq!(serde_json::from_str::<IndividualForm>(&json).unwrap(), form);
    }

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
        assert!(matches!(individual.organization, Organization::None));

        let errors = form.validate(&rules(RegistrationFlow::NewOrganization(Company)), &NoCommonList).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["company_name", "address_line1", "city", "postal_code", "country"]);

        let join = RegistrationForm { registry_id: "r-7k4q2m".into(), ..form.clone() };
        let joined = join.validate(&rules(RegistrationFlow::JoinOrganization(Partner)), &NoCommonList).unwrap();
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
}
