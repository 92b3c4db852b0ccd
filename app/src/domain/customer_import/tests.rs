// covers: CON-7, OAA-6
use super::*;

const HEADER: &str = "record,external_id,first_name,last_name,email,phone,language,name,registry_id,partner,person,organization,job_title,account_number,company_primary,account,order_number,order_date,postal_code,contact\n";

fn file(rows: &[&str]) -> Vec<u8> {
    let mut text = HEADER.to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

const GOOD: &[&str] = &[
    "person,p1,Dana,Smith,dana@example.com,+1 415 555 0100,en,,,,,,,,,,,,,",
    "organization,o1,,,,,,Acme Tools,R-ACME01,no,,,,,,,,,,",
    "person,p2,Lee,Chen,lee@acme.example,,,,,,,,,,,,,,,",
    "contact,c1,,,,,,,,,p2,o1,Buyer,,,,,,,",
    "account,a1,,,,,,,,,p1,,,A-100001,,,,,,",
    "account,a2,,,,,,,,,,o1,,A-200001,yes,,,,,",
    "order,r1,,,,,,,,,,,,,,a1,O-500001,2026-01-15,94105,",
    "order,r2,,,,,,,,,,,,,,a2,O-600001,2026-02-03,10001,c1",
];

fn reasons(parsed: &ParsedImport) -> Vec<(u64, String)> {
    parsed.bad_rows.iter().map(|b| (b.line, b.reason.clone())).collect()
}

#[test]
fn a_good_file_reads_into_typed_rows_of_every_kind() {
    let parsed = parse(&file(GOOD));
    assert_eq!(reasons(&parsed), vec![]);
    assert!(parsed.outside_references.is_empty());
    let rows = &parsed.rows;
    assert_eq!((rows.persons.len(), rows.organizations.len(), rows.contacts.len()), (2, 1, 1));
    assert_eq!((rows.accounts.len(), rows.orders.len()), (2, 2));
    assert_eq!(rows.persons[0].phone.as_ref().unwrap().digits(), "+14155550100");
    assert_eq!(rows.persons[0].line, 2);
    assert_eq!(rows.organizations[0].registry_id.as_ref().unwrap().as_str(), "R-ACME01");
    assert_eq!(rows.accounts[1].owner, AccountOwner::Organization("o1".into()));
    assert!(rows.accounts[1].company_primary);
    assert_eq!(rows.orders[1].sold_to.as_deref(), Some("c1"));
    assert_eq!(rows.orders[1].order_date, time::macros::date!(2026 - 02 - 03));
    assert_eq!(rows.orders[0].bill_to_postal_code.as_str(), "94105");
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_reason() {
    let parsed = parse(&file(&[
        "person,p1,Dana,Smith,,,,,,,,,,,,,,,,",           // 2: good
        "customer,x1,,,,,,,,,,,,,,,,,,",                  // 3: unknown kind
        "person,,Lee,Chen,,,,,,,,,,,,,,,,",               // 4: no external id
        "person,p1,Lee,Chen,,,,,,,,,,,,,,,,",             // 5: duplicate external id
        "person,p3,,Chen,,,,,,,,,,,,,,,,",                // 6: missing first name
        "person,p4,Lee,Chen,not-an-email,,,,,,,,,,,,,,,", // 7: bad e-mail
        "person,p5,Lee,Chen,,12,,,,,,,,,,,,,,",           // 8: bad phone
        "person,p6,Lee,Chen,,,xx,,,,,,,,,,,,,",           // 9: unknown language
        "organization,o1,,,,,,Acme,R-BAD,,,,,,,,,,,",     // 10: bad Registry ID
        "organization,o2,,,,,,Acme,,maybe,,,,,,,,,,",     // 11: bad flag
        "account,a1,,,,,,,,,p1,,,A-1,,,,,,",              // 12: good
        "account,a2,,,,,,,,,p1,,,A-1,,,,,,",              // 13: account number twice
        "account,a3,,,,,,,,,,,,A-3,,,,,,",                // 14: no owner
        "account,a4,,,,,,,,,p1,,,A-4,yes,,,,,",           // 15: person's company-primary
        "order,r1,,,,,,,,,,,,,,a1,O-1,2026-13-01,94105,", // 16: bad date
        "order,r2,,,,,,,,,,,,,,a1,O-2,2026-01-01,,",      // 17: no postal code
        "order,r3,,,,,,,,,,,,,,a9,O-3,2026-01-01,94105,", // 18: unknown account → outside
        "contact,c1,,,,,,,,,p4,o2,,,,,,,,",               // 19: refers to bad rows
        "order,r4,,,,,,,,,,,,,,a1,O 4,2026-01-01,94105,", // 20: bad order number
    ]));
    let lines: Vec<u64> = parsed.bad_rows.iter().map(|b| b.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 19, 20]);
    let reason = |line: u64| parsed.bad_rows.iter().find(|b| b.line == line).unwrap().reason.clone();
    assert!(reason(3).contains("Unknown record kind"), "{}", reason(3));
    assert!(reason(4).contains("external id"), "{}", reason(4));
    assert!(reason(5).contains("already used on line 2"), "{}", reason(5));
    assert!(reason(6).contains("first_name"), "{}", reason(6));
    assert!(reason(7).contains("email"), "{}", reason(7));
    assert!(reason(8).contains("phone"), "{}", reason(8));
    assert!(reason(9).contains("language"), "{}", reason(9));
    assert!(reason(10).contains("registry_id"), "{}", reason(10));
    assert!(reason(11).contains("partner"), "{}", reason(11));
    assert!(reason(13).contains("account number A-1 is already used on line 12"), "{}", reason(13));
    assert!(reason(14).contains("owner"), "{}", reason(14));
    assert!(reason(15).contains("company-primary"), "{}", reason(15));
    assert!(reason(16).contains("order_date"), "{}", reason(16));
    assert!(reason(17).contains("postal_code"), "{}", reason(17));
    assert!(reason(19).contains("line 7, which is bad"), "{}", reason(19));
    assert!(reason(20).contains("order number"), "{}", reason(20));
    assert_eq!(
        parsed.outside_references,
        vec![(18, Reference { kind: RecordKind::Account, external_id: "a9".into() })],
        "a reference the file cannot satisfy is left for earlier imports"
    );
}

#[test]
fn a_header_with_an_unknown_or_missing_column_is_one_bad_row() {
    let unknown = parse(b"record,external_id,shoe_size\nperson,p1,42\n");
    assert_eq!(reasons(&unknown), vec![(1, "Unknown column \"shoe_size\"".to_owned())]);
    let missing = parse(b"record,first_name\nperson,Dana\n");
    assert_eq!(reasons(&missing), vec![(1, "The header has no external_id column".to_owned())]);
}

#[test]
fn columns_may_be_left_out_and_quoted_values_keep_their_commas() {
    let parsed = parse(b"record,external_id,name\norganization,o1,\"Smith, Jones & Co\"\n\n");
    assert_eq!(reasons(&parsed), vec![]);
    assert_eq!(parsed.rows.organizations[0].name.as_str(), "Smith, Jones & Co");
    assert_eq!(parsed.rows.organizations[0].registry_id, None);
}

#[test]
fn the_report_keeps_the_first_bad_rows_and_their_total() {
    let bad = (0..MAX_SHOWN_BAD_ROWS as u64 + 5).rev().map(|line| BadRow::new(line, "bad")).collect();
    let report = ImportReport::new(false, vec![], bad);
    assert_eq!(report.bad_total, MAX_SHOWN_BAD_ROWS + 5);
    assert_eq!(report.bad_rows.len(), MAX_SHOWN_BAD_ROWS);
    assert_eq!(report.bad_rows[0].line, 0, "sorted by line");
}

// covers: CON-7, OAA-1
#[test]
fn account_and_order_numbers_are_stored_in_upper_case_as_online_access_compares_them() {
    let parsed = parse(&file(&[
        "person,p1,Dana,Smith,dana@example.com,,,,,,,,,,,,,,,",
        "account,a1,,,,,,,,,p1,,,a-100001,,,,,,",
        "order,r1,,,,,,,,,,,,,,a1,o-500001,2026-01-15,94105,",
    ]));
    assert_eq!(reasons(&parsed), vec![]);
    assert_eq!(parsed.rows.accounts[0].account_number, "A-100001");
    assert_eq!(parsed.rows.orders[0].order_number, "O-500001");
}
