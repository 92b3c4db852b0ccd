//! The data set of the Pending Approvals benchmark (issue 3) and the contact search (issue 8):
//! `companies` organizations with `users / companies` users each (a person, an "employee of"
//! contact and a user), and one pending registration request per company, plus, for one chosen
//! company, `pending` requests and `staff` more contacts with logins (surnames from a short list,
//! so a name prefix finds a page of them).
//! Rows are inserted in multi-row statements inside large transactions; password hashes are a
//! fixed placeholder (these users never sign in).

use std::time::Instant;

use app::backend::Db;

const TIME: i64 = 1_767_225_600_000;
const BUSINESS_TYPE: &str = "00000000-0000-7000-8000-000000000303";
const DEFINITION: &str = "00000000-0000-7000-8000-000000000201";
const BATCH: usize = 400;

fn id(kind: char, n: usize) -> String {
    format!("00000000-0000-7000-{kind}{:03x}-{:012x}", n >> 48, n & 0xffff_ffff_ffff)
}

async fn insert_rows(db: &Db, table: &str, columns: &str, rows: &[String]) -> anyhow::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
        sqlx::query(&sql).execute(db.pool()).await?;
    }
    Ok(())
}

/// Generates the data set; `pending_for` is the organization that gets `pending` extra requests.
pub async fn generate(
    db: &Db,
    users: usize,
    companies: usize,
    pending_for: Option<&str>,
    pending: usize,
    staff: usize,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let per_company = (users / companies.max(1)).max(1);
    let chunk_companies = 2_000;
    for first in (0..companies).step_by(chunk_companies) {
        let last = (first + chunk_companies).min(companies);
        let (mut orgs, mut persons, mut contacts, mut user_rows, mut requests) =
            (vec![], vec![], vec![], vec![], vec![]);
        for c in first..last {
            let org = id('a', c);
            orgs.push(format!("('{org}', 'B-{c:07}', 'Company {c}', 0, 'active', {TIME}, {TIME})"));
            for k in 0..per_company {
                let n = c * per_company + k;
                let (person, contact, user) = (id('b', n), id('c', n), id('d', n));
                persons.push(format!("('{person}', 'First{n}', 'Last{n}', 'en', 'active', {TIME}, {TIME})"));
                contacts.push(format!("('{contact}', '{person}', '{org}', 'employee_of', 'active', {TIME}, {TIME})"));
                let status = if k == 0 { "pending" } else { "active" };
                user_rows.push(format!(
                    "('{user}', '{person}', '{BUSINESS_TYPE}', '{org}', '{contact}', 'user{n}', 'user{n}', 'x', '{status}', {TIME}, {TIME})"
                ));
                if k == 0 {
                    requests.push(format!(
                        "('{}', 'registration', '{user}', '{org}', '{BUSINESS_TYPE}', '{DEFINITION}', 'pending', 1, 1, {}, {})",
                        id('e', c),
                        TIME + n as i64,
                        TIME + n as i64
                    ));
                }
            }
        }
        let mut tx = db.begin().await?;
        for (table, columns, rows) in [
            ("organizations", "id, registry_id, name, is_partner, status, created_at, updated_at", &orgs),
            ("persons", "id, first_name, last_name, language, status, created_at, updated_at", &persons),
            ("contacts", "id, person_id, organization_id, kind, status, created_at, updated_at", &contacts),
            (
                "users",
                "id, person_id, user_type_id, organization_id, contact_id, username, lower_username, password_hash, status, created_at, updated_at",
                &user_rows,
            ),
            (
                "requests",
                "id, kind, user_id, organization_id, user_type_id, definition_id, status, current_step, step_count, step_started_at, submitted_at",
                &requests,
            ),
        ] {
            for chunk in rows.chunks(BATCH) {
                let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
    }
    if let Some(org) = pending_for {
        let (mut persons, mut user_rows, mut requests) = (vec![], vec![], vec![]);
        for i in 0..pending {
            let n = users + i;
            let (person, user) = (id('b', n), id('d', n));
            persons.push(format!("('{person}', 'Waiting{i}', 'Applicant', 'en', 'active', {TIME}, {TIME})"));
            user_rows.push(format!(
                "('{user}', '{person}', '{BUSINESS_TYPE}', '{org}', NULL, 'waiting{i}', 'waiting{i}', 'x', 'pending', {TIME}, {TIME})"
            ));
            requests.push(format!(
                "('{}', 'registration', '{user}', '{org}', '{BUSINESS_TYPE}', '{DEFINITION}', 'pending', 1, 1, {TIME}, {})",
                id('e', companies + i),
                TIME + i as i64
            ));
        }
        insert_rows(db, "persons", "id, first_name, last_name, language, status, created_at, updated_at", &persons)
            .await?;
        insert_rows(
            db,
            "users",
            "id, person_id, user_type_id, organization_id, contact_id, username, lower_username, password_hash, status, created_at, updated_at",
            &user_rows,
        )
        .await?;
        insert_rows(
            db,
            "requests",
            "id, kind, user_id, organization_id, user_type_id, definition_id, status, current_step, step_count, step_started_at, submitted_at",
            &requests,
        )
        .await?;
    }
    if let Some(org) = pending_for {
        add_staff(db, org, users + pending, staff).await?;
    }
    // Fresh planner statistics, as a database of this size would have in production.
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    eprintln!("generated {users} users in {companies} companies in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Surnames of the chosen company's staff: a name prefix such as "Sm" finds one in eight.
const SURNAMES: [&str; 8] = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Walker"];

/// `staff` active contacts with logins, each with a primary e-mail address, in the chosen company.
async fn add_staff(db: &Db, org: &str, first_n: usize, staff: usize) -> anyhow::Result<()> {
    let (mut persons, mut contacts, mut user_rows, mut emails) = (vec![], vec![], vec![], vec![]);
    for i in 0..staff {
        let n = first_n + i;
        let (person, contact, user) = (id('b', n), id('c', n), id('d', n));
        let surname = SURNAMES[i % SURNAMES.len()];
        persons.push(format!("('{person}', 'Staff{i}', '{surname}', 'en', 'active', {TIME}, {TIME})"));
        contacts.push(format!("('{contact}', '{person}', '{org}', 'employee_of', 'active', {TIME}, {TIME})"));
        user_rows.push(format!(
            "('{user}', '{person}', '{BUSINESS_TYPE}', '{org}', '{contact}', 'staff{i}', 'staff{i}', 'x', 'active', {TIME}, {TIME})"
        ));
        emails.push(format!("('{}', '{person}', 'staff{i}@example.com', 1, {TIME})", id('f', n)));
    }
    let mut tx = db.begin().await?;
    for (table, columns, rows) in [
        ("persons", "id, first_name, last_name, language, status, created_at, updated_at", &persons),
        ("contacts", "id, person_id, organization_id, kind, status, created_at, updated_at", &contacts),
        (
            "users",
            "id, person_id, user_type_id, organization_id, contact_id, username, lower_username, password_hash, status, created_at, updated_at",
            &user_rows,
        ),
        ("email_addresses", "id, person_id, address, is_primary, created_at", &emails),
    ] {
        for chunk in rows.chunks(BATCH) {
            let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
