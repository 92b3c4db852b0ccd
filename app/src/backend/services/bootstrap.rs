//! Start-up data: the merchant admin (OPS-5) and the optional demo data (OPS-6).

use crate::backend::error::ServiceError;
use crate::backend::new_id;
use crate::backend::password::hash_unchecked;
use crate::backend::services::console::customer_import::import;
use crate::backend::settings;
use crate::backend::state::AppState;
use crate::backend::store::audit::Actor;
use crate::backend::store::users::{NewUser, UserStatus};
use crate::backend::store::{organizations, persons, users};
use crate::domain::customer_import;

pub const ADMIN_USERNAME: &str = "admin";

/// Creates the merchant admin `admin` when missing. Its first sign-in forces a password change
/// (LOG-3). The new admin becomes the universal approver (APR-2), by id, unless the setting
/// already names a user. Returns the generated password when none was configured, to be shown
/// once.
pub async fn ensure_merchant_admin(state: &AppState, configured: Option<&str>) -> Result<Option<String>, ServiceError> {
    {
        let mut conn = state.db.pool().acquire().await?;
        if users::find_by_username(&mut conn, ADMIN_USERNAME).await?.is_some() {
            return Ok(None);
        }
    }
    let generated = configured.is_none().then(generate_password);
    let password = configured.map(str::to_owned).or_else(|| generated.clone()).unwrap_or_default();
    let hash = hash_unchecked(&state.hasher, password).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let person_id = persons::insert(
        &mut tx,
        &persons::NewPerson { first_name: "Merchant", last_name: "Administrator", language: "en" },
        now,
    )
    .await?;
    let admin_id = users::insert(
        &mut tx,
        &NewUser {
            person_id: &person_id,
            user_type_id: None,
            organization_id: None,
            contact_id: None,
            username: ADMIN_USERNAME,
            lower_username: ADMIN_USERNAME,
            password_hash: Some(hash.as_str()),
            status: UserStatus::Active,
            is_merchant_admin: true,
            must_change_password: true,
            start_at: Some(now),
            end_at: None,
        },
        now,
    )
    .await?;
    settings::claim_universal_approver(&mut tx, &admin_id, now).await?;
    tx.commit().await?;
    Ok(generated)
}

fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

const DEMO_TIME: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/// OPS-6's customers for online access, in the customer import's own format (CON-7): the sample
/// file the import page offers for download, so it is known to import.
pub const DEMO_CUSTOMERS_CSV: &str = include_str!("../../../../public/customer-import-sample.csv");

/// Loads the demo data of OPS-6 once (recognised by the Acme Tools Registry ID): the specialty
/// site, and the customers through the customer import.
pub async fn load_demo_data(state: &AppState) -> Result<bool, ServiceError> {
    let mut tx = state.db.begin().await?;
    if organizations::find_by_registry_id(&mut tx, "R-ACME01").await?.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO sites (id, key, name, required_role_id, is_active, created_at) \
         VALUES ($1, 'trade-counter', 'Trade Counter', '00000000-0000-7000-8000-000000000101', 1, $2)",
    )
    .bind(new_id())
    .bind(DEMO_TIME)
    .execute(&mut *tx)
    .await?;
    let parsed = customer_import::parse(DEMO_CUSTOMERS_CSV.as_bytes());
    let report = import(&mut tx, Actor::System, parsed, DEMO_TIME).await?;
    if !report.committed {
        return Err(ServiceError::Internal(format!("the demo customers do not import: {:?}", report.bad_rows)));
    }
    tx.commit().await?;
    Ok(true)
}
