//! CON-7 (OAA-6): the customer import file. One CSV whose `record` column names each row's kind
//! and whose `external_id` keys it; rows refer to each other by external id. Read and checked
//! in one pass into typed rows, with every bad row's line and reason.

mod fields;
mod report;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use self::fields::{Column, Fields};
use crate::domain::{CompanyName, Email, Language, PersonName, Phone, PostalCode, RegistryId};

pub use self::fields::COLUMNS;
pub use self::report::{BadRow, ImportReport, KindCount, MAX_SHOWN_BAD_ROWS};

/// The kinds of record a file may hold, in the order they are written (a row only refers to
/// kinds before its own).
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
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Person,
    Organization,
    Contact,
    Account,
    Order,
}

/// A row of another kind that a row refers to by external id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub kind: RecordKind,
    pub external_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub line: u64,
    pub external_id: String,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub language: Language,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationRow {
    pub line: u64,
    pub external_id: String,
    pub name: CompanyName,
    /// `None`: one is generated, as registration does (REG-6).
    pub registry_id: Option<RegistryId>,
    pub partner: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub line: u64,
    pub external_id: String,
    pub person: String,
    pub organization: String,
    pub job_title: Option<String>,
}

/// Whose account it is: a person's or an organization's, by external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOwner {
    Person(String),
    Organization(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub line: u64,
    pub external_id: String,
    pub account_number: String,
    pub owner: AccountOwner,
    pub company_primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub line: u64,
    pub external_id: String,
    pub order_number: String,
    pub account: String,
    pub order_date: time::Date,
    pub bill_to_postal_code: PostalCode,
    /// The sold-to contact (OAA-2), by external id.
    pub sold_to: Option<String>,
}

/// The good rows of a file, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRows {
    pub persons: Vec<PersonRow>,
    pub organizations: Vec<OrganizationRow>,
    pub contacts: Vec<ContactRow>,
    pub accounts: Vec<AccountRow>,
    pub orders: Vec<OrderRow>,
}

impl ImportRows {
    /// Every row's kind and external id.
    pub fn keys(&self) -> Vec<(RecordKind, &str)> {
        let mut keys = Vec::with_capacity(self.len());
        keys.extend(self.persons.iter().map(|r| (RecordKind::Person, r.external_id.as_str())));
        keys.extend(self.organizations.iter().map(|r| (RecordKind::Organization, r.external_id.as_str())));
        keys.extend(self.contacts.iter().map(|r| (RecordKind::Contact, r.external_id.as_str())));
        keys.extend(self.accounts.iter().map(|r| (RecordKind::Account, r.external_id.as_str())));
        keys.extend(self.orders.iter().map(|r| (RecordKind::Order, r.external_id.as_str())));
        keys
    }

    pub fn len(&self) -> usize {
        self.persons.len() + self.organizations.len() + self.contacts.len() + self.accounts.len() + self.orders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A file read: its good rows, its bad rows, and the references the file itself cannot
/// satisfy — the import looks those up among earlier imports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedImport {
    pub rows: ImportRows,
    pub bad_rows: Vec<BadRow>,
    /// (line, what it refers to) for every reference to a row not in the file.
    pub outside_references: Vec<(u64, Reference)>,
}

/// Reads a whole file. Never fails: a file that cannot be read at all is one bad row (line 1).
pub fn parse(bytes: &[u8]) -> ParsedImport {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let mut parsed = ParsedImport::default();
    let columns = match reader.headers().map_err(|e| e.to_string()).and_then(Column::map) {
        Ok(columns) => columns,
        Err(reason) => {
            parsed.bad_rows.push(BadRow::new(1, reason));
            return parsed;
        }
    };
    let mut seen = Seen::default();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                parsed.bad_rows.push(BadRow::new(line, format!("The row cannot be read: {e}")));
                continue;
            }
        };
        let fields = Fields::new(&columns, &record);
        if fields.is_blank() {
            continue;
        }
        if let Err(reason) = read_row(&fields, &mut seen, &mut parsed.rows) {
            parsed.bad_rows.push(BadRow::new(fields.line(), reason));
        }
    }
    parsed.outside_references = seen.outside_references(&parsed.rows, &mut parsed.bad_rows);
    parsed
}

/// What the rows read so far have claimed: external ids per kind, and the numbers that must be
/// unique across the file, each with the line that claimed it.
#[derive(Default)]
struct Seen {
    external_ids: HashMap<(RecordKind, String), u64>,
    numbers: HashMap<(&'static str, String), u64>,
    /// Every reference made, with its line; checked once the whole file is read.
    references: Vec<(u64, Reference)>,
}

impl Seen {
    fn claim_external_id(&mut self, kind: RecordKind, external_id: &str, line: u64) -> Result<(), String> {
        match self.external_ids.entry((kind, external_id.to_owned())) {
            Entry::Occupied(first) => {
                Err(format!("The {kind} external id {external_id} is already used on line {}", first.get()))
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                Ok(())
            }
        }
    }

    fn claim_number(&mut self, what: &'static str, number: &str, line: u64) -> Result<(), String> {
        match self.numbers.entry((what, number.to_owned())) {
            Entry::Occupied(first) => Err(format!("The {what} {number} is already used on line {}", first.get())),
            Entry::Vacant(slot) => {
                slot.insert(line);
                Ok(())
            }
        }
    }

    fn refer(&mut self, line: u64, kind: RecordKind, external_id: &str) {
        self.references.push((line, Reference { kind, external_id: external_id.to_owned() }));
    }

    /// References to rows of the file that are bad make their own row bad; references to rows
    /// the file does not have are left for the import to find among earlier imports.
    fn outside_references(self, rows: &ImportRows, bad_rows: &mut Vec<BadRow>) -> Vec<(u64, Reference)> {
        let good: HashSet<(RecordKind, &str)> = rows.keys().into_iter().collect();
        let bad_lines: HashSet<u64> = bad_rows.iter().map(|b| b.line).collect();
        let mut outside = Vec::new();
        for (line, reference) in self.references {
            if good.contains(&(reference.kind, reference.external_id.as_str())) || bad_lines.contains(&line) {
                continue;
            }
            match self.external_ids.get(&(reference.kind, reference.external_id.clone())) {
                Some(target) => bad_rows.push(BadRow::new(
                    line,
                    format!(
                        "The {} {} it refers to is on line {target}, which is bad",
                        reference.kind, reference.external_id
                    ),
                )),
                None => outside.push((line, reference)),
            }
        }
        bad_rows.sort_by_key(|b| b.line);
        outside
    }
}

fn read_row(fields: &Fields<'_>, seen: &mut Seen, rows: &mut ImportRows) -> Result<(), String> {
    let kind: RecordKind = fields.required(Column::Record, "record kind")?.parse().map_err(|_| {
        format!(
            "Unknown record kind {:?}: use person, organization, contact, account or order",
            fields.get(Column::Record)
        )
    })?;
    let line = fields.line();
    let external_id = fields.external_id()?;
    // Claimed before the fields are checked, so a reference to a bad row says so.
    seen.claim_external_id(kind, &external_id, line)?;
    match kind {
        RecordKind::Person => {
            let row = PersonRow {
                line,
                first_name: fields.parsed(Column::FirstName, PersonName::parse)?,
                last_name: fields.parsed(Column::LastName, PersonName::parse)?,
                email: fields.optional(Column::Email, Email::parse)?,
                phone: fields.optional(Column::Phone, Phone::parse)?,
                language: fields.language()?,
                external_id,
            };
            rows.persons.push(row);
        }
        RecordKind::Organization => {
            let row = OrganizationRow {
                line,
                name: fields.parsed(Column::Name, CompanyName::parse)?,
                registry_id: fields.optional(Column::RegistryId, RegistryId::parse)?,
                partner: fields.flag(Column::Partner)?,
                external_id,
            };
            if let Some(registry_id) = &row.registry_id {
                seen.claim_number("Registry ID", registry_id.as_str(), line)?;
            }
            rows.organizations.push(row);
        }
        RecordKind::Contact => {
            let row = ContactRow {
                line,
                person: fields.required(Column::Person, "person")?.to_owned(),
                organization: fields.required(Column::Organization, "organization")?.to_owned(),
                job_title: fields.text(Column::JobTitle)?,
                external_id,
            };
            seen.refer(line, RecordKind::Person, &row.person);
            seen.refer(line, RecordKind::Organization, &row.organization);
            rows.contacts.push(row);
        }
        RecordKind::Account => {
            let row = AccountRow {
                line,
                account_number: fields.number(Column::AccountNumber, "account number")?,
                owner: fields.account_owner()?,
                company_primary: fields.flag(Column::CompanyPrimary)?,
                external_id,
            };
            if row.company_primary && matches!(row.owner, AccountOwner::Person(_)) {
                return Err("Only an organization's account can be company-primary".to_owned());
            }
            seen.claim_number("account number", &row.account_number, line)?;
            match &row.owner {
                AccountOwner::Person(id) => seen.refer(line, RecordKind::Person, id),
                AccountOwner::Organization(id) => seen.refer(line, RecordKind::Organization, id),
            }
            rows.accounts.push(row);
        }
        RecordKind::Order => {
            let row = OrderRow {
                line,
                order_number: fields.number(Column::OrderNumber, "order number")?,
                account: fields.required(Column::Account, "account")?.to_owned(),
                order_date: fields.date(Column::OrderDate)?,
                bill_to_postal_code: fields.parsed(Column::PostalCode, PostalCode::parse)?,
                sold_to: fields.text(Column::Contact)?,
                external_id,
            };
            seen.claim_number("order number", &row.order_number, line)?;
            seen.refer(line, RecordKind::Account, &row.account);
            if let Some(contact) = &row.sold_to {
                seen.refer(line, RecordKind::Contact, contact);
            }
            rows.orders.push(row);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
