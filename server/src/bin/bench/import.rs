//! CON-7's import figures: a generated file of `rows` rows (a quarter persons, a twentieth
//! organizations, a tenth contacts, 30 % accounts, 30 % orders) previewed, committed and
//! committed again through the import use case in this process, on the database at the URL;
//! with the time of each step and the process's peak resident memory after it.

use std::fmt::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::backend::authz::caller;
use app::backend::password::PasswordHasher;
use app::backend::services::bootstrap;
use app::backend::services::console::customer_import::{commit, preview};
use app::backend::state::NoDirectory;
use app::backend::{AppConfig, AppState, Db, SystemClock};
use app::domain::customer_import::COLUMNS;

/// The file: every row with all of [`COLUMNS`], references within the file.
pub fn generate_csv(rows: usize) -> String {
    let persons = rows / 4;
    let organizations = rows / 20;
    let contacts = rows / 10;
    let accounts = rows * 3 / 10;
    let orders = rows - persons - organizations - contacts - accounts;
    let mut csv = COLUMNS.join(",");
    csv.push('\n');
    let mut line = |fields: &[(&str, String)]| {
        let cells: Vec<&str> =
            COLUMNS.iter().map(|c| fields.iter().find(|(k, _)| k == c).map_or("", |(_, v)| v.as_str())).collect();
        let _ = writeln!(csv, "{}", cells.join(","));
    };
    for n in 0..persons {
        line(&[
            ("record", "person".into()),
            ("external_id", format!("p{n}")),
            ("first_name", format!("First{n}")),
            ("last_name", format!("Last{}", n % 997)),
            ("email", format!("person{n}@example.com")),
            ("phone", format!("+1 415 {:03} {:04}", n / 10_000 % 1000, n % 10_000)),
        ]);
    }
    for n in 0..organizations {
        line(&[
            ("record", "organization".into()),
            ("external_id", format!("o{n}")),
            ("name", format!("Company {n}")),
            ("partner", if n.is_multiple_of(10) { "yes" } else { "no" }.into()),
        ]);
    }
    for n in 0..contacts {
        line(&[
            ("record", "contact".into()),
            ("external_id", format!("c{n}")),
            ("person", format!("p{}", n % persons)),
            ("organization", format!("o{}", n % organizations)),
            ("job_title", "Buyer".into()),
        ]);
    }
    for n in 0..accounts {
        // Every other account is a company's; the first of each company's is its primary one.
        let owner = if n.is_multiple_of(2) {
            ("organization", format!("o{}", (n / 2) % organizations))
        } else {
            ("person", format!("p{}", (n / 2) % persons))
        };
        let primary = n.is_multiple_of(2) && n / 2 < organizations;
        line(&[
            ("record", "account".into()),
            ("external_id", format!("a{n}")),
            owner,
            ("account_number", format!("A-B{n:07}")),
            ("company_primary", if primary { "yes" } else { "no" }.into()),
        ]);
    }
    for n in 0..orders {
        let account = n % accounts;
        // A company account's order is sold to one of that company's contacts.
        let contact = (account.is_multiple_of(2) && (account / 2) % organizations < contacts)
            .then(|| format!("c{}", (account / 2) % organizations));
        line(&[
            ("record", "order".into()),
            ("external_id", format!("r{n}")),
            ("account", format!("a{account}")),
            ("order_number", format!("O-B{n:07}")),
            ("order_date", format!("2026-{:02}-{:02}", n % 12 + 1, n % 28 + 1)),
            ("postal_code", format!("{:05}", 10_000 + n % 89_999)),
            ("contact", contact.unwrap_or_default()),
        ]);
    }
    csv
}

/// The use cases' state in this process, on `db` (one hashing permit: the import hashes nothing).
pub fn in_process(db: Db) -> AppState {
    AppState {
        db,
        clock: Arc::new(SystemClock),
        hasher: PasswordHasher::with_max_wait(1, Duration::from_secs(5)),
        config: Arc::new(AppConfig { public_url: "http://127.0.0.1:3000".into(), ip_rate_limit: false }),
        directory: Arc::new(NoDirectory),
    }
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// On PostgreSQL, `database_url` names a server: the run gets a database of its own there,
/// dropped afterwards. A SQLite URL is used as it is (a fresh file is expected).
pub async fn run(database_url: &str, rows: usize) -> anyhow::Result<()> {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    if !database_url.starts_with("postgres") {
        return run_on(database_url, rows).await;
    }
    let name = format!("gatehouse_import_bench_{}", std::process::id());
    let mut server = sqlx::AnyConnection::connect(database_url).await?;
    server.execute(format!("CREATE DATABASE {name}").as_str()).await?;
    let (base, query) = database_url.split_once('?').map_or((database_url, None), |(b, q)| (b, Some(q)));
    let host_end = base.rfind('/').filter(|i| *i > base.find("://").map_or(0, |s| s + 2)).unwrap_or(base.len());
    let url = format!("{}/{name}{}", &base[..host_end], query.map(|q| format!("?{q}")).unwrap_or_default());
    let outcome = run_on(&url, rows).await;
    server.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
    outcome
}

async fn run_on(database_url: &str, rows: usize) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let state = in_process(db);
    bootstrap::ensure_merchant_admin(&state, Some("bench-Copper-Lantern-Meadow-4821")).await?;
    // The admin's first password was changed (LOG-3), as before any real use of the console.
    let (admin_id,): (String,) =
        sqlx::query_as("UPDATE users SET must_change_password = 0 WHERE username = 'admin' RETURNING id")
            .fetch_one(state.db.pool())
            .await?;
    let admin = caller(&state, &admin_id).await?.merchant_admin()?;
    let database = database_url.split(':').next().unwrap_or_default();

    let started = Instant::now();
    let csv = generate_csv(rows);
    let generated = started.elapsed();
    println!(
        "| import: {rows}-row file generated ({:.1} MB) | {:.2} s, peak RSS {:.0} MiB |",
        csv.len() as f64 / 1e6,
        generated.as_secs_f64(),
        peak_rss_mib()
    );
    for step in ["preview", "commit", "commit again"] {
        let started = Instant::now();
        let report = match step {
            "preview" => preview(&state, &admin, csv.as_bytes()).await?,
            _ => commit(&state, &admin, csv.as_bytes()).await?,
        };
        let took = started.elapsed().as_secs_f64();
        anyhow::ensure!(report.bad_total == 0, "bad rows: {:?}", report.bad_rows);
        println!(
            "| import {step}, {rows} rows, {database} | {took:.2} s ({:.0} rows/s), {} new, peak RSS {:.0} MiB |",
            rows as f64 / took,
            report.new_rows(),
            peak_rss_mib()
        );
    }
    state.db.close().await;
    Ok(())
}
