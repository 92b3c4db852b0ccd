//! What a file would change, checked against the database: which rows earlier imports already
//! brought in, whether references outside the file exist, and whether a new row's account,
//! order or Registry ID number is already some other record's.

use std::collections::HashMap;

use sqlx::AnyConnection;
use strum::IntoEnumIterator;

use crate::backend::error::StoreError;
use crate::backend::store::customer_import::{self as store, Number};
use crate::domain::customer_import::{BadRow, ImportReport, ImportRows, KindCount, ParsedImport, RecordKind};

pub(super) struct Plan {
    pub rows: ImportRows,
    /// The records earlier imports made, by (kind, external id).
    pub known: HashMap<(RecordKind, String), String>,
    bad_rows: Vec<BadRow>,
}

impl Plan {
    pub async fn make(conn: &mut AnyConnection, parsed: ParsedImport) -> Result<Plan, StoreError> {
        let ParsedImport { rows, mut bad_rows, outside_references } = parsed;
        let mut known = HashMap::new();
        for kind in RecordKind::iter() {
            let mut ids: Vec<&str> = rows.keys().into_iter().filter(|(k, _)| *k == kind).map(|(_, id)| id).collect();
            ids.extend(outside_references.iter().filter(|(_, r)| r.kind == kind).map(|(_, r)| r.external_id.as_str()));
            for (external_id, record_id) in store::imported(conn, kind, &ids).await? {
                known.insert((kind, external_id), record_id);
            }
        }
        for (line, reference) in &outside_references {
            if !known.contains_key(&(reference.kind, reference.external_id.clone())) {
                bad_rows.push(BadRow::new(
                    *line,
                    format!(
                        "No {} with external id {} in this file or an earlier import",
                        reference.kind, reference.external_id
                    ),
                ));
            }
        }
        let mut plan = Plan { rows, known, bad_rows };
        plan.check_numbers(conn).await?;
        Ok(plan)
    }

    pub fn is_new(&self, kind: RecordKind, external_id: &str) -> bool {
        !self.known.contains_key(&(kind, external_id.to_owned()))
    }

    /// A new row's number must not be some other record's already.
    async fn check_numbers(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        let accounts: Vec<(u64, &str)> = (self.rows.accounts.iter())
            .filter(|r| self.is_new(RecordKind::Account, &r.external_id))
            .map(|r| (r.line, r.account_number.as_str()))
            .collect();
        let orders: Vec<(u64, &str)> = (self.rows.orders.iter())
            .filter(|r| self.is_new(RecordKind::Order, &r.external_id))
            .map(|r| (r.line, r.order_number.as_str()))
            .collect();
        let registry_ids: Vec<(u64, &str)> = (self.rows.organizations.iter())
            .filter(|r| self.is_new(RecordKind::Organization, &r.external_id))
            .filter_map(|r| r.registry_id.as_ref().map(|id| (r.line, id.as_str())))
            .collect();
        let mut bad = Vec::new();
        for (number, what, candidates) in [
            (Number::Account, "account number", accounts),
            (Number::Order, "order number", orders),
            (Number::Registry, "Registry ID", registry_ids),
        ] {
            let values: Vec<&str> = candidates.iter().map(|(_, v)| *v).collect();
            let used = store::numbers_in_use(conn, number, &values).await?;
            bad.extend(
                candidates
                    .iter()
                    .filter(|(_, v)| used.contains(*v))
                    .map(|(line, v)| BadRow::new(*line, format!("The {what} {v} is already used by another record"))),
            );
        }
        self.bad_rows.extend(bad);
        Ok(())
    }

    pub fn has_bad_rows(&self) -> bool {
        !self.bad_rows.is_empty()
    }

    pub fn report(&self, committed: bool) -> ImportReport {
        let keys = self.rows.keys();
        let counts = RecordKind::iter()
            .map(|kind| {
                let of_kind: Vec<&str> = keys.iter().filter(|(k, _)| *k == kind).map(|(_, id)| *id).collect();
                let new = of_kind.iter().filter(|id| self.is_new(kind, id)).count();
                KindCount { kind, new, unchanged: of_kind.len() - new }
            })
            .collect();
        ImportReport::new(committed, counts, self.bad_rows.clone())
    }
}
