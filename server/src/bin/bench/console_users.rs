//! CON-3's scaling figure: the console's user search (`GET /console/users?q=…`, a page of 25)
//! as the merchant admin, on a data set of `users` users. Run once at 10,000 and once at
//! 1,000,000 users (scripts/bench.sh); the search is indexed, so the two should be within 2x.
//!
//! The data set is datagen's (companies of users named `First{n} Last{n}`, usernames `user{n}`)
//! plus a primary e-mail address `inbox.last{n}@example.com` for every person (so an e-mail
//! prefix matches no name) and one user in sixteen made inactive. A
//! database that already holds enough users (the `admin` benchmark's) is reused as it is.

use std::time::Instant;

use app::backend::Db;

use super::{datagen, load, Run};

/// The searches timed: (what it shows, the query string). Each finds at least a page of rows
/// at both sizes: "last12" matches Last12, Last120…129, Last1200… — about one user in ninety.
const SEARCHES: &[(&str, &str)] = &[
    ("last-name prefix (q=last12)", "q=last12"),
    ("username prefix (q=user4)", "q=user4"),
    ("e-mail prefix (q=inbox.last12)", "q=inbox.last12"),
    ("status filter, no prefix (status=inactive)", "status=inactive"),
    ("no prefix: the first page of all users", ""),
];

/// Adds what the console search reads beyond datagen's rows: e-mail addresses and some
/// inactive users. Idempotent.
async fn complete(db: &Db) -> anyhow::Result<()> {
    let started = Instant::now();
    sqlx::query(
        "INSERT INTO email_addresses (id, person_id, address, is_primary, created_at) \
         SELECT 'm' || p.id, p.id, 'inbox.' || lower(p.last_name) || '@example.com', 1, 0 \
         FROM persons p WHERE NOT EXISTS (SELECT 1 FROM email_addresses e WHERE e.person_id = p.id)",
    )
    .execute(db.pool())
    .await?;
    sqlx::query("UPDATE users SET status = 'inactive' WHERE status = 'active' AND substr(id, length(id), 1) = '7'")
        .execute(db.pool())
        .await?;
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    eprintln!("e-mail addresses and inactive users added in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

pub async fn run(
    base: &str,
    database_url: &str,
    users: usize,
    admin_password: &str,
    seconds: u64,
    concurrency: usize,
) -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let db = Db::connect(database_url).await?;
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await?;
    if (existing as usize) < users {
        datagen::generate(&db, users, (users / 10).max(1), None, 0, 0).await?;
    }
    complete(&db).await?;
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await?;
    db.close().await;

    // The merchant admin, signed in, after the forced first password change (LOG-3); on a
    // database of an earlier run the password is already the new one.
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let new_password = "harbor-violet-mosaic-bench-9";
    let sign_in = |password: String| {
        let http = http.clone();
        let base = base.to_owned();
        async move {
            http.post(format!("{base}/login"))
                .header("Origin", &base)
                .form(&[("username", "admin"), ("password", password.as_str())])
                .send()
                .await
        }
    };
    let first_time = sign_in(admin_password.to_owned()).await?;
    if first_time.status() == 303 {
        let form = [
            ("current_password", admin_password),
            ("new_password", new_password),
            ("new_password_confirm", new_password),
        ];
        let changed = http.post(format!("{base}/password/change")).header("Origin", base).form(&form).send().await?;
        anyhow::ensure!(changed.status() == 303, "the admin's password change answered {}", changed.status());
    } else {
        let first_status = first_time.status();
        let again = sign_in(new_password.to_owned()).await?;
        anyhow::ensure!(
            again.status() == 303,
            "the admin's sign-in answered {first_status} with the start-up password and {} with the changed one",
            again.status()
        );
    }
    let first = http.get(format!("{base}/console/users?q=last12")).send().await?;
    anyhow::ensure!(first.status() == 200, "/console/users answered {}", first.status());

    for (what, query) in SEARCHES {
        let url =
            if query.is_empty() { format!("{base}/console/users") } else { format!("{base}/console/users?{query}") };
        let run: Run = {
            let http = http.clone();
            load(seconds, concurrency, move |_| {
                let (url, http) = (url.clone(), http.clone());
                async move {
                    match http.get(&url).send().await {
                        // A full page: 25 rows and a link to the next.
                        Ok(r) if r.status() == 200 => r.text().await.is_ok_and(|t| t.contains("Next page")),
                        _ => false,
                    }
                }
            })
            .await
        };
        println!(
            "| GET /console/users, {what}, {total} users ({concurrency} clients, {seconds} s) | {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, {} failed |",
            run.per_second(),
            run.percentile(0.5),
            run.percentile(0.99),
            run.failed
        );
        super::page_verdict(&format!("console user search, {what}, {total} users"), &run);
    }
    Ok(())
}
