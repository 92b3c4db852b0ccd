//! The forms of company administration's contact pages (ADM-2, ADM-3): one `validate()` each,
//! shared by the browser's pre-check, the server function and the plain post.

use std::fmt;

use time::macros::format_description;
use time::Date;

use super::field::FieldError;
use super::registration::check;
use super::{
    CommonPasswords, Email, Password, PasswordContext, PasswordPolicy, PersonName, Phone, RecordStatus, Username,
};

pub const CHOOSE_A_USER_TYPE: &str = "Choose a user type";
pub const CHOOSE_AN_ACCOUNT: &str = "Choose an account of your company";
pub const ENTER_A_DATE: &str = "Enter a date like 2027-01-31";
pub const END_BEFORE_START: &str = "The end date must not be before the start date";
pub const CHOOSE_YES_OR_NO: &str = "Choose Yes or No";
pub const CHOOSE_A_STATUS: &str = "Choose Active or Inactive";
pub const JOB_TITLE_TOO_LONG: &str = "Use at most 100 characters";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How a new user gets a password (ADM-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordMethod {
    /// "Send an invitation link" (default): a set-password link, valid 7 days.
    Invitation,
    /// "Set a temporary password": changed at first sign-in (LOG-3).
    Temporary,
}

/// A day of the calendar (UTC), as an `<input type="date">` posts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(Date);

impl Day {
    pub fn parse(raw: &str) -> Result<Day, &'static str> {
        Date::parse(raw.trim(), format_description!("[year]-[month]-[day]")).map(Day).map_err(|_| ENTER_A_DATE)
    }

    /// The day containing `ms` (epoch milliseconds, UTC).
    pub fn of_ms(ms: i64) -> Day {
        let days = ms.div_euclid(DAY_MS);
        let epoch = Date::from_calendar_date(1970, time::Month::January, 1).expect("a valid date");
        Day(epoch + time::Duration::days(days))
    }

    /// 00:00:00.000 UTC of this day, epoch milliseconds: when a start date begins.
    pub fn start_ms(self) -> i64 {
        let epoch = Date::from_calendar_date(1970, time::Month::January, 1).expect("a valid date");
        (self.0 - epoch).whole_days() * DAY_MS
    }

    /// 23:59:59.999 UTC of this day: access ends after the end date, not at its start.
    pub fn end_ms(self) -> i64 {
        self.start_ms() + DAY_MS - 1
    }

    pub fn iso(self) -> String {
        let f = format_description!("[year]-[month]-[day]");
        self.0.format(f).unwrap_or_default()
    }
}

/// The login part of a contact (ADM-2 "Yes", and ADM-3's "Register this contact as a user").
#[derive(Debug)]
pub struct NewLogin {
    pub user_type: String,
    pub username: Username,
    pub password: Option<Password>,
    pub account_id: Option<String>,
    pub start: Option<Day>,
    pub end: Option<Day>,
}

impl NewLogin {
    pub fn method(&self) -> PasswordMethod {
        if self.password.is_some() {
            PasswordMethod::Temporary
        } else {
            PasswordMethod::Invitation
        }
    }
}

/// The person part of a contact (ADM-2, ADM-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<Phone>,
    pub job_title: Option<String>,
    pub status: RecordStatus,
}

/// A validated Create contact form.
#[derive(Debug)]
pub struct NewContact {
    pub details: ContactDetails,
    pub login: Option<NewLogin>,
}

/// `/admin/contacts/new` (ADM-2) as posted. With `register_as_user` "no" the login fields
/// are ignored (they stay on the page, hidden, without JavaScript).
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    pub contact_status: String,
    pub register_as_user: String,
    pub user_type: String,
    pub username: String,
    pub password_method: String,
    pub temporary_password: String,
    pub account_id: String,
    pub start_date: String,
    pub end_date: String,
}

/// ADM-3's "Register this contact as a user": the login fields of [`ContactForm`] alone.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub user_type: String,
    pub username: String,
    pub password_method: String,
    pub temporary_password: String,
    pub account_id: String,
    pub start_date: String,
    pub end_date: String,
}

/// What the login part is checked against: the password policy and the person's name.
pub struct LoginRules<'a> {
    pub policy: &'a PasswordPolicy,
    pub common: &'a dyn CommonPasswords,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

impl ContactForm {
    pub fn wants_login(&self) -> bool {
        self.register_as_user == "yes"
    }

    pub fn login(&self) -> LoginForm {
        LoginForm {
            user_type: self.user_type.clone(),
            username: self.username.clone(),
            password_method: self.password_method.clone(),
            temporary_password: self.temporary_password.clone(),
            account_id: self.account_id.clone(),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
        }
    }

    /// Every field at once, in form order (REG-14).
    pub fn validate(
        &self,
        policy: &PasswordPolicy,
        common: &dyn CommonPasswords,
    ) -> Result<NewContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let details = details(
            &mut errors,
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.phone,
            &self.job_title,
            &self.contact_status,
        );
        let login = match self.register_as_user.as_str() {
            "no" | "" => Some(None),
            "yes" => {
                let rules = LoginRules { policy, common, first_name: &self.first_name, last_name: &self.last_name };
                self.login().check(&mut errors, &rules).map(Some)
            }
            _ => {
                errors.push(FieldError::new("register_as_user", CHOOSE_YES_OR_NO));
                None
            }
        };
        match (details, login) {
            (Some(details), Some(login)) if errors.is_empty() => Ok(NewContact { details, login }),
            _ => Err(errors),
        }
    }
}

impl LoginForm {
    pub fn validate(&self, rules: &LoginRules<'_>) -> Result<NewLogin, Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.check(&mut errors, rules) {
            Some(login) if errors.is_empty() => Ok(login),
            _ => Err(errors),
        }
    }

    fn check(&self, errors: &mut Vec<FieldError>, rules: &LoginRules<'_>) -> Option<NewLogin> {
        let user_type = self.user_type.trim();
        if user_type.is_empty() {
            errors.push(FieldError::new("user_type", CHOOSE_A_USER_TYPE));
        }
        let username = check(errors, "username", Username::parse(&self.username));
        let password = match self.password_method.as_str() {
            "temporary" if self.temporary_password.is_empty() => {
                errors.push(FieldError::new("temporary_password", "Enter a temporary password"));
                None
            }
            "temporary" => {
                let ctx = PasswordContext {
                    username: &self.username,
                    first_name: rules.first_name,
                    last_name: rules.last_name,
                };
                let parsed = Password::parse(self.temporary_password.clone(), rules.policy, &ctx, rules.common);
                check(errors, "temporary_password", parsed).map(Some)
            }
            _ => Some(None),
        };
        let start = optional_day(errors, "start_date", &self.start_date);
        let end = optional_day(errors, "end_date", &self.end_date);
        if let (Some(Some(start)), Some(Some(end))) = (start, end) {
            if end < start {
                errors.push(FieldError::new("end_date", END_BEFORE_START));
            }
        }
        let account_id = Some(self.account_id.trim()).filter(|a| !a.is_empty()).map(str::to_owned);
        match (username, password, start, end) {
            (Some(username), Some(password), Some(start), Some(end)) if !user_type.is_empty() => {
                Some(NewLogin { user_type: user_type.to_owned(), username, password, account_id, start, end })
            }
            _ => None,
        }
    }
}

/// `/admin/contacts/{id}` (ADM-3): the details of a contact, and of their login if they have
/// one (`user_status`, dates; `username` only where the administrator may change it, ADM-8).
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactDetailsForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    pub contact_status: String,
    #[serde(deserialize_with = "super::checkbox::deserialize")]
    pub marketing_opt_in: bool,
    pub user_status: String,
    pub start_date: String,
    pub end_date: String,
    pub username: String,
}

/// A validated ADM-3 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsChange {
    pub details: ContactDetails,
    pub marketing_opt_in: bool,
    pub login: Option<LoginChange>,
}

/// The login part of an ADM-3 change (absent for a contact without a login).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginChange {
    pub active: bool,
    pub start: Option<Day>,
    pub end: Option<Day>,
    /// `None`: the username is not part of this form (ADM-8), left as it is.
    pub username: Option<Username>,
}

impl ContactDetailsForm {
    /// `has_login`: the contact has a login; `username_editable`: ADM-8 allows changing it.
    pub fn validate(&self, has_login: bool, username_editable: bool) -> Result<DetailsChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let details = details(
            &mut errors,
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.phone,
            &self.job_title,
            &self.contact_status,
        );
        let login = if has_login {
            let active = match self.user_status.as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => {
                    errors.push(FieldError::new("user_status", CHOOSE_A_STATUS));
                    None
                }
            };
            let start = optional_day(&mut errors, "start_date", &self.start_date);
            let end = optional_day(&mut errors, "end_date", &self.end_date);
            if let (Some(Some(start)), Some(Some(end))) = (start, end) {
                if end < start {
                    errors.push(FieldError::new("end_date", END_BEFORE_START));
                }
            }
            let username = if username_editable {
                check(&mut errors, "username", Username::parse(&self.username)).map(Some)
            } else {
                Some(None)
            };
            match (active, start, end, username) {
                (Some(active), Some(start), Some(end), Some(username)) => {
                    Some(Some(LoginChange { active, start, end, username }))
                }
                _ => None,
            }
        } else {
            Some(None)
        };
        match (details, login) {
            (Some(details), Some(login)) if errors.is_empty() => {
                Ok(DetailsChange { details, marketing_opt_in: self.marketing_opt_in, login })
            }
            _ => Err(errors),
        }
    }
}

fn details(
    errors: &mut Vec<FieldError>,
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: &str,
    job_title: &str,
    status: &str,
) -> Option<ContactDetails> {
    let first_name = check(errors, "first_name", PersonName::parse(first_name));
    let last_name = check(errors, "last_name", PersonName::parse(last_name));
    let email = check(errors, "email", Email::parse(email));
    let phone = match phone.trim() {
        "" => Some(None),
        raw => check(errors, "phone", Phone::parse(raw).map(Some)),
    };
    let job_title = match job_title.trim() {
        "" => Some(None),
        t if t.chars().count() > 100 => {
            errors.push(FieldError::new("job_title", JOB_TITLE_TOO_LONG));
            None
        }
        t => Some(Some(t.to_owned())),
    };
    let status = match status {
        "active" | "" => Some(RecordStatus::Active),
        "inactive" => Some(RecordStatus::Inactive),
        _ => {
            errors.push(FieldError::new("contact_status", CHOOSE_A_STATUS));
            None
        }
    };
    match (first_name, last_name, email, phone, job_title, status) {
        (Some(first_name), Some(last_name), Some(email), Some(phone), Some(job_title), Some(status)) => {
            Some(ContactDetails { first_name, last_name, email, phone, job_title, status })
        }
        _ => None,
    }
}

/// Blank is `Some(None)`; a bad date is reported and `None`.
fn optional_day(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<Option<Day>> {
    match raw.trim() {
        "" => Some(None),
        raw => check(errors, field, Day::parse(raw)).map(Some),
    }
}

/// Passwords are redacted so that logging a form can never leak one (SEC-7).
impl fmt::Debug for ContactForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactForm")
            .field("username", &self.username)
            .field("register_as_user", &self.register_as_user)
            .field("temporary_password", &"***")
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .field("temporary_password", &"***")
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ContactDetailsForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactDetailsForm").field("username", &self.username).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NoCommonList;

    fn policy() -> PasswordPolicy {
        PasswordPolicy { min_length: 12, hard_to_guess: true }
    }

    fn form() -> ContactForm {
        ContactForm {
            first_name: "Rita".into(),
            last_name: "Moreno".into(),
            email: "rita@example.com".into(),
            contact_status: "active".into(),
            register_as_user: "no".into(),
            ..ContactForm::default()
        }
    }

    // covers: ADM-2
    #[test]
    fn a_contact_without_a_login_ignores_the_login_fields() {
        let contact = ContactForm { username: "x".into(), ..form() }.validate(&policy(), &NoCommonList).unwrap();
        assert!(contact.login.is_none());
        assert_eq!(contact.details.status, RecordStatus::Active);
    }

    // covers: ADM-2, REG-14
    #[test]
    fn a_login_reports_every_problem_at_once() {
        let posted = ContactForm {
            email: "nope".into(),
            register_as_user: "yes".into(),
            password_method: "temporary".into(),
            temporary_password: "short".into(),
            start_date: "2027-02-10".into(),
            end_date: "2027-02-01".into(),
            ..form()
        };
        let errors = posted.validate(&policy(), &NoCommonList).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "user_type", "username", "temporary_password", "end_date"]);
    }

    // covers: ADM-2
    #[test]
    fn an_invitation_needs_no_password_and_dates_are_whole_days() {
        let posted = ContactForm {
            register_as_user: "yes".into(),
            user_type: "company_business".into(),
            username: "rita.m".into(),
            password_method: "invite".into(),
            start_date: "2027-01-15".into(),
            ..form()
        };
        let login = posted.validate(&policy(), &NoCommonList).unwrap().login.unwrap();
        assert_eq!(login.method(), PasswordMethod::Invitation);
        let start = login.start.unwrap();
        assert_eq!(start.iso(), "2027-01-15");
        assert_eq!(Day::of_ms(start.start_ms()), start);
        assert_eq!(Day::of_ms(start.end_ms()), start);
        assert_eq!(start.end_ms() - start.start_ms(), DAY_MS - 1);
        assert_eq!(Day::parse("31/01/2027"), Err(ENTER_A_DATE));
    }

    // covers: ADM-3, ADM-8
    #[test]
    fn the_username_is_only_read_where_it_may_be_changed() {
        let posted = ContactDetailsForm {
            first_name: "Rita".into(),
            last_name: "Moreno".into(),
            email: "rita@example.com".into(),
            contact_status: "active".into(),
            user_status: "inactive".into(),
            username: "".into(),
            ..ContactDetailsForm::default()
        };
        let change = posted.validate(true, false).unwrap();
        assert_eq!(change.login.as_ref().map(|l| (l.active, l.username.is_none())), Some((false, true)));
        let errors = posted.validate(true, true).unwrap_err();
        assert_eq!(errors[0].field, "username");
    }
}
