//! CON-7 (OAA-6): the customer import against real databases — a preview changes nothing, a
//! commit writes what the file says in one audited transaction, a bad file writes nothing, and
//! importing the same file again changes nothing. SQLite and PostgreSQL.

use app::backend::authz::{caller, MerchantAdmin};
use app::backend::services::bootstrap::DEMO_CUSTOMERS_CSV;
use app::backend::services::console::customer_import::{commit, preview};
use app::backend::{AppState, TestClock};
use app::domain::customer_import::{ImportReport, RecordKind};
use app::testing::{count_rows, for_each_database, migrated_state, one, ready_merchant_admin, T0};

const TABLES: &[&str] = &[
    "persons",
    "email_addresses",
    "phones",
    "organizations",
    "contacts",
    "accounts",
    "orders",
    "customer_import_keys",
    "audit_log",
];

async fn console_admin(state: &AppState) -> MerchantAdmin {
    let id = ready_merchant_admin(state).await;
    caller(state, &id).await.unwrap().merchant_admin().expect("a merchant admin")
}

/// Every table an import may touch, with its row count.
async fn snapshot(state: &AppState) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((*table, count_rows(&state.db, table).await));
    }
    counts
}

fn new_and_unchanged(report: &ImportReport) -> Vec<(RecordKind, usize, usize)> {
    report.counts.iter().map(|c| (c.kind, c.new, c.unchanged)).collect()
}

const FILE: &str = "record,external_id,first_name,last_name,email,phone,language,name,registry_id,partner,person,organization,job_title,account_number,company_primary,account,order_number,order_date,postal_code,contact
person,p-ann,Ann,Berg,ann.berg@example.com,(415) 555-0101,en,,,,,,,,,,,,,
organization,o-bolt,,,,,,Bolt Supply,,yes,,,,,,,,,,
contact,c-ann-bolt,,,,,,,,,p-ann,o-bolt,Purchaser,,,,,,,
account,a-bolt,,,,,,,,,,o-bolt,,A-900001,yes,,,,,
account,a-ann,,,,,,,,,p-ann,,,A-900002,no,,,,,
order,r-1,,,,,,,,,,,,,,a-bolt,O-900001,2026-03-04,SW1A 1AA,c-ann-bolt
order,r-2,,,,,,,,,,,,,,a-ann,O-900002,2026-03-05,94105,
";

// covers: CON-7, OAA-6
#[tokio::test]
async fn a_preview_counts_the_rows_and_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let before = snapshot(&state).await;
        let report = preview(&state, &admin, FILE.as_bytes()).await.unwrap();
        assert_eq!(snapshot(&state).await, before, "[{label}] nothing written");
        assert!(!report.committed, "[{label}]");
        assert_eq!(report.bad_total, 0, "[{label}] {:?}", report.bad_rows);
        assert_eq!(
            new_and_unchanged(&report),
            vec![
                (RecordKind::Person, 1, 0),
                (RecordKind::Organization, 1, 0),
                (RecordKind::Contact, 1, 0),
                (RecordKind::Account, 2, 0),
                (RecordKind::Order, 2, 0)
            ],
            "[{label}]"
        );
    })
    .await;
}

// covers: CON-7, OAA-6, CON-5
#[tokio::test]
async fn a_commit_writes_what_the_file_says_in_one_audited_import() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        let audit_before = count_rows(&state.db, "audit_log").await;
        let report = commit(&state, &admin, FILE.as_bytes()).await.unwrap();
        assert!(report.committed, "[{label}] {:?}", report.bad_rows);
        assert_eq!(report.new_rows(), 7, "[{label}]");

        let ann = one(
            &state,
            "SELECT p.first_name || ' ' || p.last_name || ' ' || e.address || ' ' || ph.digits || ' ' || ph.kind \
             FROM persons p JOIN email_addresses e ON e.person_id = p.id AND e.is_primary = 1 \
             JOIN phones ph ON ph.person_id = p.id AND ph.is_primary = 1 WHERE p.last_name = $1",
            &["Berg"],
        )
        .await;
        assert_eq!(ann, "Ann Berg ann.berg@example.com 4155550101 personal", "[{label}]");
        let bolt = one(
            &state,
            "SELECT o.name || ' ' || o.is_partner || ' ' || c.job_title || ' ' || p.first_name || ' ' || a.account_number \
             || ' ' || a.is_company_primary FROM organizations o JOIN contacts c ON c.organization_id = o.id \
             JOIN persons p ON p.id = c.person_id JOIN accounts a ON a.organization_id = o.id WHERE o.name = $1",
            &["Bolt Supply"],
        )
        .await;
        assert_eq!(bolt, "Bolt Supply 1 Purchaser Ann A-900001 1", "[{label}]");
        let registry_id = one(&state, "SELECT registry_id FROM organizations WHERE name = $1", &["Bolt Supply"]).await;
        assert!(app::domain::RegistryId::parse(&registry_id).is_ok(), "[{label}] a generated Registry ID");
        let order = one(
            &state,
            "SELECT r.bill_to_postal_code || ' ' || a.account_number || ' ' || p.first_name || ' ' || r.placed_at \
             FROM orders r JOIN accounts a ON a.id = r.account_id JOIN contacts c ON c.id = r.sold_to_contact_id \
             JOIN persons p ON p.id = c.person_id WHERE r.order_number = $1",
            &["O-900001"],
        )
        .await;
        assert_eq!(order, "SW1A 1AA A-900001 Ann 1772582400000", "[{label}] 2026-03-04, sold to Ann");
        let individual = one(
            &state,
            "SELECT a.account_number || ' ' || p.first_name FROM orders r JOIN accounts a ON a.id = r.account_id \
             JOIN persons p ON p.id = a.person_id WHERE r.order_number = $1 AND r.sold_to_contact_id IS NULL",
            &["O-900002"],
        )
        .await;
        assert_eq!(individual, "A-900002 Ann", "[{label}]");
        assert_eq!(count_rows(&state.db, "audit_log").await, audit_before + 1, "[{label}] one audit row");
        let audited = one(&state, "SELECT after_value FROM audit_log WHERE action = $1", &["customers.imported"]).await;
        assert!(audited.contains(r#""order":{"new":2,"unchanged":0}"#), "[{label}] {audited}");
    })
    .await;
}

// covers: CON-7, OAA-6
#[tokio::test]
async fn importing_the_same_file_again_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        assert!(commit(&state, &admin, FILE.as_bytes()).await.unwrap().committed, "[{label}]");
        let before = snapshot(&state).await;
        let again = commit(&state, &admin, FILE.as_bytes()).await.unwrap();
        assert_eq!(snapshot(&state).await, before, "[{label}] nothing changed, not even the audit log");
        assert!(again.committed, "[{label}] {:?}", again.bad_rows);
        assert_eq!(again.new_rows(), 0, "[{label}]");
        assert_eq!(again.count(RecordKind::Order).map(|c| c.unchanged), Some(2), "[{label}]");

        // A later file refers to rows of the earlier import by external id.
        let later = "record,external_id,account,order_number,order_date,postal_code,contact\n\
                     order,r-3,a-bolt,O-900003,2026-04-01,10001,c-ann-bolt\n";
        let report = commit(&state, &admin, later.as_bytes()).await.unwrap();
        assert!(report.committed, "[{label}] {:?}", report.bad_rows);
        let sold_to = one(
            &state,
            "SELECT c.job_title FROM orders r JOIN contacts c ON c.id = r.sold_to_contact_id WHERE r.order_number = $1",
            &["O-900003"],
        )
        .await;
        assert_eq!(sold_to, "Purchaser", "[{label}]");
    })
    .await;
}

// covers: CON-7, OAA-6
#[tokio::test]
async fn a_file_with_a_bad_row_commits_nothing_and_says_why() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        assert!(commit(&state, &admin, FILE.as_bytes()).await.unwrap().committed, "[{label}]");
        let before = snapshot(&state).await;
        let bad = "record,external_id,first_name,last_name,person,organization,account_number,account,order_number,order_date,postal_code\n\
                   person,p-new,Cy,Dow,,,,,,,\n\
                   account,a-taken,,,p-new,,A-900001,,,,\n\
                   order,r-nowhere,,,,,,a-missing,O-900009,2026-01-01,94105\n\
                   order,r-taken,,,,,,a-ann,O-900001,2026-01-01,94105\n";
        let report = commit(&state, &admin, bad.as_bytes()).await.unwrap();
        assert!(!report.committed, "[{label}]");
        assert_eq!(snapshot(&state).await, before, "[{label}] nothing written");
        let reasons: Vec<(u64, String)> = report.bad_rows.iter().map(|b| (b.line, b.reason.clone())).collect();
        assert_eq!(
            reasons,
            vec![
                (3, "The account number A-900001 is already used by another record".to_owned()),
                (4, "No account with external id a-missing in this file or an earlier import".to_owned()),
                (5, "The order number O-900001 is already used by another record".to_owned()),
            ],
            "[{label}]"
        );
    })
    .await;
}

// covers: OPS-6, CON-7
#[tokio::test]
async fn the_demo_customers_are_the_sample_import_file() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let admin = console_admin(&state).await;
        assert!(app::backend::services::bootstrap::load_demo_data(&state).await.unwrap(), "[{label}]");
        let report = preview(&state, &admin, DEMO_CUSTOMERS_CSV.as_bytes()).await.unwrap();
        assert_eq!(report.new_rows(), 0, "[{label}] the demo data came through the importer");
        assert_eq!(report.bad_total, 0, "[{label}] {:?}", report.bad_rows);
        let lee = one(
            &state,
            "SELECT e.address || ' ' || c.job_title FROM persons p JOIN email_addresses e ON e.person_id = p.id \
             JOIN contacts c ON c.person_id = p.id WHERE p.first_name = $1",
            &["Lee"],
        )
        .await;
        assert_eq!(lee, "lee.chen@acme.example Buyer", "[{label}]");
    })
    .await;
}
