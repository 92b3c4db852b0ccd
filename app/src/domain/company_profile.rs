//! The company profile form (PRO-5): name, website, annual revenue and phone. The Registry ID
//! is shown but never posted: nothing here can change it (REG-6).

use serde::{Deserialize, Serialize};

use super::company::business_phone;
use super::field::FieldError;
use super::{CompanyName, Phone};

/// The form as posted: Company name `company_name`*, Website `website`, Annual revenue
/// `annual_revenue`, Company phone `company_phone` (REG-10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyProfileForm {
    pub company_name: String,
    pub website: String,
    pub annual_revenue: String,
    pub company_phone: String,
}

/// A validated company profile, ready for the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyProfile {
    pub name: CompanyName,
    pub website: Option<String>,
    pub annual_revenue: Option<i64>,
    pub phone: Option<Phone>,
}

/// A revenue above this is a typing mistake, and it stays far from the integer column's limit.
pub const MAX_ANNUAL_REVENUE: i64 = 1_000_000_000_000_000;
const MAX_WEBSITE: usize = 200;

impl CompanyProfileForm {
    /// `phone_required` is the `mandate_business_phone` setting (REG-10).
    pub fn validate(&self, phone_required: bool) -> Result<CompanyProfile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = CompanyName::parse(&self.company_name)
            .map_err(|e| errors.push(FieldError::new("company_name", e.to_string())))
            .ok();
        let website = website(&self.website).map_err(|m| errors.push(FieldError::new("website", m))).ok().flatten();
        let annual_revenue = annual_revenue(&self.annual_revenue)
            .map_err(|m| errors.push(FieldError::new("annual_revenue", m)))
            .ok()
            .flatten();
        let phone = business_phone(&self.company_phone, "company_phone", phone_required, &mut errors);
        match name {
            Some(name) if errors.is_empty() => Ok(CompanyProfile { name, website, annual_revenue, phone }),
            _ => Err(errors),
        }
    }
}

/// An optional web address: `http(s)://host…`, or a bare host that gets `https://`. Only
/// those two schemes, so the link the page shows can never run script.
fn website(raw: &str) -> Result<Option<String>, &'static str> {
    const MESSAGE: &str = "Enter a web address, like https://example.com";
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let lower = value.to_ascii_lowercase();
    let (url, rest) = if lower.starts_with("https://") || lower.starts_with("http://") {
        let rest = &value[value.find("://").map(|i| i + 3).unwrap_or(0)..];
        (value.to_owned(), rest)
    } else if lower.contains("://") {
        return Err(MESSAGE);
    } else {
        (format!("https://{value}"), value)
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    let chars_ok = url.chars().all(|c| c.is_ascii_graphic() && c != '<' && c != '>' && c != '"');
    if url.len() > MAX_WEBSITE || !host_ok || !chars_ok {
        return Err(MESSAGE);
    }
    Ok(Some(url))
}

/// An optional whole number of at least zero; thousands may be grouped with `,` or spaces.
fn annual_revenue(raw: &str) -> Result<Option<i64>, &'static str> {
    const MESSAGE: &str = "Enter a whole number of at least 0, like 2500000";
    let digits: String = raw.trim().chars().filter(|c| !matches!(c, ',' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(MESSAGE);
    }
    match digits.parse::<i64>() {
        Ok(n) if n <= MAX_ANNUAL_REVENUE => Ok(Some(n)),
        _ => Err("Enter at most 1,000,000,000,000,000"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_for;

    fn form(website: &str, revenue: &str) -> CompanyProfileForm {
        CompanyProfileForm {
            company_name: "Acme Tools".into(),
            website: website.into(),
            annual_revenue: revenue.into(),
            company_phone: String::new(),
        }
    }

    // covers: PRO-5
    #[test]
    fn website_and_revenue_are_optional_and_normalised() {
        let profile = form("", "").validate(false).unwrap();
        assert_eq!((profile.website, profile.annual_revenue, profile.phone), (None, None, None));
        let profile = form("acme.example/about", "2,500,000").validate(false).unwrap();
        assert_eq!(profile.website.as_deref(), Some("https://acme.example/about"));
        assert_eq!(profile.annual_revenue, Some(2_500_000));
        assert_eq!(form("HTTP://acme.example", "0").validate(false).unwrap().annual_revenue, Some(0));
    }

    // covers: PRO-5, REG-14
    #[test]
    fn bad_values_are_refused_next_to_their_fields() {
        for bad in ["javascript:alert(1)", "ftp://acme.example", "acme", "https://acme .example", "https://<x>.com"] {
            let errors = form(bad, "").validate(false).unwrap_err();
            assert!(message_for(&errors, "website").is_some(), "{bad}");
        }
        for bad in ["-5", "1.5", "lots", "99999999999999999999"] {
            let errors = form("", bad).validate(false).unwrap_err();
            assert!(message_for(&errors, "annual_revenue").is_some(), "{bad}");
        }
        let blank = CompanyProfileForm::default().validate(false).unwrap_err();
        assert!(message_for(&blank, "company_name").is_some());
    }

    // covers: REG-10, PRO-5
    #[test]
    fn the_company_phone_is_required_only_when_mandated() {
        assert!(form("", "").validate(true).is_err_and(|e| e[0].field == "company_phone"));
        let with_phone = CompanyProfileForm { company_phone: "+1 415 555 0100".into(), ..form("", "") };
        assert_eq!(with_phone.validate(true).unwrap().phone.unwrap().as_str(), "+1 415 555 0100");
    }
}
