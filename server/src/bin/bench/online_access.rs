//! Issue 11's timing of online access (OAA-1): a known account number with a wrong proof
//! against an account number that exists nowhere, through the running server. Every attempt
//! names an account number of its own, so the per-account-number counter (SEC-4) never delays
//! one and every attempt runs its whole path (count, hash, lookups).

use app::backend::authz::caller;
use app::backend::services::console::customer_import::commit;
use app::backend::Db;

use super::import::{generate_csv, in_process};
use super::{FORGOT_SAMPLES, WARM_UP};

/// Person accounts of the generated file are the odd-numbered ones: `A-B0000001`, `…3`, ….
fn known_account(i: usize) -> String {
    format!("A-B{:07}", 2 * i + 1)
}

/// Makes the data ready on the server's database: the type active (CON-1) and customers to
/// claim, imported as a merchant would (CON-7).
async fn prepare(database_url: &str, samples: usize) -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let db = Db::connect(database_url).await?;
    sqlx::query("UPDATE user_types SET is_active = 1 WHERE key = 'online_access_individual'")
        .execute(db.pool())
        .await?;
    let (admin_id,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE username = 'admin'").fetch_one(db.pool()).await?;
    sqlx::query("UPDATE users SET must_change_password = 0 WHERE id = $1").bind(&admin_id).execute(db.pool()).await?;
    let state = in_process(db);
    let admin = caller(&state, &admin_id).await?.merchant_admin()?;
    // Accounts are 30 % of the rows and half of them a person's.
    let rows = (samples * 20 / 3).max(100);
    let report = commit(&state, &admin, generate_csv(rows).as_bytes()).await?;
    anyhow::ensure!(report.bad_total == 0, "the generated customers did not import: {:?}", report.bad_rows);
    state.db.close().await;
    Ok(())
}

/// The medians (ms) of a known and an unknown account number's refused claim, interleaved.
pub async fn timing(base: &str, database_url: &str) -> anyhow::Result<(f64, f64)> {
    prepare(database_url, WARM_UP + FORGOT_SAMPLES).await?;
    let http = super::client();
    super::known_vs_unknown(|i, known| {
        let (http, base) = (http.clone(), base.to_owned());
        let account = if known { known_account(i) } else { format!("A-Z{i:07}") };
        async move {
            let form = [
                ("account_number", account.as_str()),
                ("postal_code", "00000"),
                ("phone", "+1 555 010 0000"),
                ("email", "claimant@example.com"),
                ("username", "would.be.claimant"),
                ("password", "violet-anchor-trumpet-42"),
                ("password_confirm", "violet-anchor-trumpet-42"),
            ];
            let answer = http
                .post(format!("{base}/register/online_access_individual"))
                .header("Origin", &base)
                .form(&form)
                .send()
                .await?;
            let status = answer.status();
            let body = answer.text().await?;
            anyhow::ensure!(
                status == 401 && body.contains("could not verify"),
                "online access answered {status} for {account}"
            );
            Ok(())
        }
    })
    .await
}
