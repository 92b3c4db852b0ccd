//! Writing a plan's new rows: ids for the new records, multi-row inserts kind by kind (a row only
//! refers to kinds written before it), and the (kind, external id) → record map.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;

use super::plan::Plan;
use crate::backend::error::{ServiceError, StoreError};
use crate::backend::new_id;
use crate::backend::store::customer_import::{insert_rows, numbers_in_use, Cell, Number};
use crate::backend::store::organizations::random_registry_id;
use crate::domain::customer_import::{AccountOwner, RecordKind};
use crate::domain::{ContactKind, RegistryId};

/// Generated Registry IDs that collide with stored ones are drawn again, this many times at most.
const FRESH_REGISTRY_ID_ROUNDS: usize = 5;

/// The record id of every row, new or imported earlier, by kind and external id.
struct Ids(HashMap<(RecordKind, String), String>);

impl Ids {
    fn of(&self, kind: RecordKind, external_id: &str) -> Result<&str, ServiceError> {
        (self.0.get(&(kind, external_id.to_owned())).map(String::as_str))
            .ok_or_else(|| ServiceError::Internal(format!("import: no id for {kind} {external_id}")))
    }
}

impl Plan {
    pub async fn write(&self, conn: &mut AnyConnection, now: i64) -> Result<(), ServiceError> {
        let mut ids = Ids(self.known.clone());
        let mut new_keys: Vec<(RecordKind, &str, String)> = Vec::new();
        for (kind, external_id) in self.rows.keys() {
            if self.is_new(kind, external_id) {
                let id = new_id();
                ids.0.insert((kind, external_id.to_owned()), id.clone());
                new_keys.push((kind, external_id, id));
            }
        }
        self.write_persons(conn, &ids, now).await?;
        self.write_organizations(conn, &ids, now).await?;

        let mut contacts = Vec::new();
        for r in self.rows.contacts.iter().filter(|r| self.is_new(RecordKind::Contact, &r.external_id)) {
            contacts.push(vec![
                Cell::Text(ids.of(RecordKind::Contact, &r.external_id)?),
                Cell::Text(ids.of(RecordKind::Person, &r.person)?),
                Cell::Text(ids.of(RecordKind::Organization, &r.organization)?),
                Cell::Text(ContactKind::EmployeeOf.into()),
                Cell::MaybeText(r.job_title.as_deref()),
                Cell::Text("active"),
                Cell::Int(now),
                Cell::Int(now),
            ]);
        }
        let columns = ["id", "person_id", "organization_id", "kind", "job_title", "status", "created_at", "updated_at"];
        insert_rows(conn, "contacts", &columns, &contacts).await?;

        let mut accounts = Vec::new();
        for r in self.rows.accounts.iter().filter(|r| self.is_new(RecordKind::Account, &r.external_id)) {
            let (person, organization) = match &r.owner {
                AccountOwner::Person(p) => (Some(ids.of(RecordKind::Person, p)?), None),
                AccountOwner::Organization(o) => (None, Some(ids.of(RecordKind::Organization, o)?)),
            };
            accounts.push(vec![
                Cell::Text(ids.of(RecordKind::Account, &r.external_id)?),
                Cell::Text(&r.account_number),
                Cell::MaybeText(person),
                Cell::MaybeText(organization),
                Cell::Int(i64::from(r.company_primary)),
                Cell::Text("active"),
                Cell::Int(now),
            ]);
        }
        let columns =
            ["id", "account_number", "person_id", "organization_id", "is_company_primary", "status", "created_at"];
        insert_rows(conn, "accounts", &columns, &accounts).await?;

        let mut orders = Vec::new();
        for r in self.rows.orders.iter().filter(|r| self.is_new(RecordKind::Order, &r.external_id)) {
            let sold_to = r.sold_to.as_deref().map(|c| ids.of(RecordKind::Contact, c)).transpose()?;
            orders.push(vec![
                Cell::Text(ids.of(RecordKind::Order, &r.external_id)?),
                Cell::Text(&r.order_number),
                Cell::Text(ids.of(RecordKind::Account, &r.account)?),
                Cell::MaybeText(sold_to),
                Cell::Text(r.bill_to_postal_code.as_str()),
                Cell::Int(r.order_date.midnight().assume_utc().unix_timestamp() * 1000),
            ]);
        }
        let columns = ["id", "order_number", "account_id", "sold_to_contact_id", "bill_to_postal_code", "placed_at"];
        insert_rows(conn, "orders", &columns, &orders).await?;

        let keys: Vec<Vec<Cell<'_>>> = (new_keys.iter())
            .map(|(kind, external_id, id)| {
                vec![Cell::Text((*kind).into()), Cell::Text(external_id), Cell::Text(id), Cell::Int(now)]
            })
            .collect();
        insert_rows(conn, "customer_import_keys", &["kind", "external_id", "record_id", "imported_at"], &keys).await?;
        Ok(())
    }

    /// Persons with their primary e-mail and primary personal phone (as registration writes them).
    async fn write_persons(&self, conn: &mut AnyConnection, ids: &Ids, now: i64) -> Result<(), ServiceError> {
        let persons: Vec<_> =
            self.rows.persons.iter().filter(|r| self.is_new(RecordKind::Person, &r.external_id)).collect();
        let mut rows = Vec::with_capacity(persons.len());
        let mut emails = Vec::new();
        let mut phones = Vec::new();
        let digits: Vec<Option<String>> = persons.iter().map(|r| r.phone.as_ref().map(|p| p.digits())).collect();
        let email_ids: Vec<String> = persons.iter().map(|_| new_id()).collect();
        let phone_ids: Vec<String> = persons.iter().map(|_| new_id()).collect();
        for (i, r) in persons.iter().enumerate() {
            let id = ids.of(RecordKind::Person, &r.external_id)?;
            rows.push(vec![
                Cell::Text(id),
                Cell::Text(r.first_name.as_str()),
                Cell::Text(r.last_name.as_str()),
                Cell::Text(r.language.code()),
                Cell::Text("active"),
                Cell::Int(now),
                Cell::Int(now),
            ]);
            if let Some(email) = &r.email {
                emails.push(vec![
                    Cell::Text(&email_ids[i]),
                    Cell::Text(id),
                    Cell::Text(email.as_str()),
                    Cell::Int(1),
                    Cell::Int(now),
                ]);
            }
            if let (Some(phone), Some(digits)) = (&r.phone, &digits[i]) {
                phones.push(vec![
                    Cell::Text(&phone_ids[i]),
                    Cell::Text(id),
                    Cell::Text(phone.as_str()),
                    Cell::Text(digits),
                    Cell::Text("personal"),
                    Cell::Int(1),
                    Cell::Int(now),
                ]);
            }
        }
        let columns = ["id", "first_name", "last_name", "language", "status", "created_at", "updated_at"];
        insert_rows(conn, "persons", &columns, &rows).await?;
        let columns = ["id", "person_id", "address", "is_primary", "created_at"];
        insert_rows(conn, "email_addresses", &columns, &emails).await?;
        let columns = ["id", "person_id", "number", "digits", "kind", "is_primary", "created_at"];
        insert_rows(conn, "phones", &columns, &phones).await?;
        Ok(())
    }

    /// Organizations, each with its Registry ID or a generated one (REG-6).
    async fn write_organizations(&self, conn: &mut AnyConnection, ids: &Ids, now: i64) -> Result<(), ServiceError> {
        let organizations: Vec<_> =
            self.rows.organizations.iter().filter(|r| self.is_new(RecordKind::Organization, &r.external_id)).collect();
        let given: HashSet<&str> =
            organizations.iter().filter_map(|r| r.registry_id.as_ref().map(RegistryId::as_str)).collect();
        let missing = organizations.iter().filter(|r| r.registry_id.is_none()).count();
        let mut generated = fresh_registry_ids(conn, missing, &given).await?.into_iter();
        let registry_ids: Vec<String> = (organizations.iter())
            .map(|r| r.registry_id.as_ref().map(|id| id.as_str().to_owned()).or_else(|| generated.next()))
            .collect::<Option<_>>()
            .ok_or_else(|| ServiceError::Internal("import: too few Registry IDs".into()))?;
        let mut rows = Vec::with_capacity(organizations.len());
        for (r, registry_id) in organizations.iter().zip(&registry_ids) {
            rows.push(vec![
                Cell::Text(ids.of(RecordKind::Organization, &r.external_id)?),
                Cell::Text(registry_id),
                Cell::Text(r.name.as_str()),
                Cell::Int(i64::from(r.partner)),
                Cell::Text("active"),
                Cell::Int(now),
                Cell::Int(now),
            ]);
        }
        let columns = ["id", "registry_id", "name", "is_partner", "status", "created_at", "updated_at"];
        insert_rows(conn, "organizations", &columns, &rows).await?;
        Ok(())
    }
}

/// `count` random Registry IDs used by no stored organization and not in `taken`.
async fn fresh_registry_ids(
    conn: &mut AnyConnection,
    count: usize,
    taken: &HashSet<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut fresh: HashSet<String> = HashSet::with_capacity(count);
    for _ in 0..FRESH_REGISTRY_ID_ROUNDS {
        let drawn: Vec<String> = (0..count - fresh.len())
            .map(|_| random_registry_id().as_str().to_owned())
            .filter(|id| !taken.contains(id.as_str()))
            .collect();
        let candidates: Vec<&str> = drawn.iter().map(String::as_str).collect();
        let used = numbers_in_use(conn, Number::Registry, &candidates).await?;
        fresh.extend(drawn.into_iter().filter(|id| !used.contains(id)));
        if fresh.len() == count {
            break;
        }
    }
    Ok(fresh.into_iter().collect())
}
