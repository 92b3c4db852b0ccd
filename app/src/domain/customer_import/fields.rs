//! The file's columns and the checked reading of one row's fields.

use std::fmt::Display;

use super::AccountOwner;
use crate::domain::Language;

/// Every column a file may have, as its header names them. Columns a row's kind does not use
/// are left empty; a file may leave out columns it never fills.
pub const COLUMNS: &[&str] = &[
    "record",
    "external_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "language",
    "name",
    "registry_id",
    "partner",
    "person",
    "organization",
    "job_title",
    "account_number",
    "company_primary",
    "account",
    "order_number",
    "order_date",
    "postal_code",
    "contact",
];

/// A column, by its position in [`COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Record,
    ExternalId,
    FirstName,
    LastName,
    Email,
    Phone,
    Language,
    Name,
    RegistryId,
    Partner,
    Person,
    Organization,
    JobTitle,
    AccountNumber,
    CompanyPrimary,
    Account,
    OrderNumber,
    OrderDate,
    PostalCode,
    Contact,
}

/// Where each column is in the file: `positions[column as usize]`.
pub(super) struct Columns {
    positions: [Option<usize>; COLUMNS.len()],
}

impl Column {
    fn name(self) -> &'static str {
        COLUMNS[self as usize]
    }

    /// Reads the header: every name must be known, and `record` and `external_id` are required.
    pub(super) fn map(header: &csv::StringRecord) -> Result<Columns, String> {
        let mut positions = [None; COLUMNS.len()];
        for (position, name) in header.iter().enumerate() {
            let name = name.trim_start_matches('\u{feff}').to_ascii_lowercase();
            let index = COLUMNS.iter().position(|c| *c == name).ok_or_else(|| format!("Unknown column {name:?}"))?;
            if positions[index].replace(position).is_some() {
                return Err(format!("The column {name} appears twice"));
            }
        }
        for required in [Column::Record, Column::ExternalId] {
            if positions[required as usize].is_none() {
                return Err(format!("The header has no {} column", required.name()));
            }
        }
        Ok(Columns { positions })
    }
}

const MAX_TEXT: usize = 200;
const MAX_NUMBER: usize = 40;

/// One row's fields, read by column; every reader answers the reason a value is bad.
pub(super) struct Fields<'a> {
    columns: &'a Columns,
    record: &'a csv::StringRecord,
}

impl<'a> Fields<'a> {
    pub(super) fn new(columns: &'a Columns, record: &'a csv::StringRecord) -> Self {
        Self { columns, record }
    }

    pub(super) fn line(&self) -> u64 {
        self.record.position().map(|p| p.line()).unwrap_or(0)
    }

    pub(super) fn is_blank(&self) -> bool {
        self.record.iter().all(str::is_empty)
    }

    pub(super) fn get(&self, column: Column) -> &'a str {
        self.columns.positions[column as usize].and_then(|p| self.record.get(p)).unwrap_or("")
    }

    pub(super) fn required(&self, column: Column, what: &str) -> Result<&'a str, String> {
        match self.get(column) {
            "" => Err(format!("The {what} ({}) is missing", column.name())),
            value => Ok(value),
        }
    }

    pub(super) fn external_id(&self) -> Result<String, String> {
        let id = self.required(Column::ExternalId, "external id")?;
        if id.len() > MAX_NUMBER {
            return Err(format!("The external id is longer than {MAX_NUMBER} characters"));
        }
        Ok(id.to_owned())
    }

    /// A value through its domain parser; the parser's message becomes the reason.
    pub(super) fn parsed<T, E: Display>(
        &self,
        column: Column,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<T, String> {
        parse(self.get(column)).map_err(|e| format!("{} ({}): {e}", column.name(), self.get(column)))
    }

    pub(super) fn optional<T, E: Display>(
        &self,
        column: Column,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<Option<T>, String> {
        match self.get(column) {
            "" => Ok(None),
            _ => self.parsed(column, parse).map(Some),
        }
    }

    pub(super) fn text(&self, column: Column) -> Result<Option<String>, String> {
        match self.get(column) {
            "" => Ok(None),
            value if value.chars().count() > MAX_TEXT => {
                Err(format!("The {} is longer than {MAX_TEXT} characters", column.name()))
            }
            value => Ok(Some(value.to_owned())),
        }
    }

    /// An account or order number: letters, digits and `-`, at most 40, stored in upper case —
    /// as registration makes them and as online access (OAA-1, OAA-2) compares them.
    pub(super) fn number(&self, column: Column, what: &str) -> Result<String, String> {
        let value = self.required(column, what)?;
        let valid = value.len() <= MAX_NUMBER && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(format!("The {what} {value:?} may only have letters, digits and -, at most {MAX_NUMBER}"));
        }
        Ok(value.to_ascii_uppercase())
    }

    /// Empty, `0`, `no`, `false` → no; `1`, `yes`, `true` → yes.
    pub(super) fn flag(&self, column: Column) -> Result<bool, String> {
        match self.get(column).to_ascii_lowercase().as_str() {
            "" | "0" | "no" | "false" => Ok(false),
            "1" | "yes" | "true" => Ok(true),
            other => Err(format!("The {} must be yes or no, not {other:?}", column.name())),
        }
    }

    /// Empty means English; otherwise a supported language's code.
    pub(super) fn language(&self) -> Result<Language, String> {
        match self.get(Column::Language) {
            "" => Ok(Language::default()),
            code => Language::ALL
                .iter()
                .copied()
                .find(|l| l.code().eq_ignore_ascii_case(code))
                .ok_or_else(|| format!("The language {code:?} is not supported")),
        }
    }

    pub(super) fn date(&self, column: Column) -> Result<time::Date, String> {
        let value = self.required(column, "date")?;
        time::Date::parse(value, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| format!("The {} {value:?} is not a date like 2026-02-03", column.name()))
    }

    /// Exactly one of `person` and `organization`.
    pub(super) fn account_owner(&self) -> Result<AccountOwner, String> {
        match (self.get(Column::Person), self.get(Column::Organization)) {
            ("", "") => Err("The account's owner is missing: fill person or organization".to_owned()),
            (person, "") => Ok(AccountOwner::Person(person.to_owned())),
            ("", organization) => Ok(AccountOwner::Organization(organization.to_owned())),
            _ => Err("An account has one owner: fill person or organization, not both".to_owned()),
        }
    }
}
