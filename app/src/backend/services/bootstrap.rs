//! Start-up data: the merchant admin (OPS-5) and the optional demo data (OPS-6).

use crate::backend::error::ServiceError;
use crate::backend::new_id;
use crate::backend::password::hash_unchecked;
use crate::backend::settings;
use crate::backend::state::AppState;
use crate::backend::store::users::{NewUser, UserStatus};
use crate::backend::store::{accounts, organizations, persons, users};
use crate::domain::ContactKind;

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
const ACME_ORDER_TIME: i64 = 1_770_076_800_000; // 2026-02-03T00:00:00Z

/// Loads the demo data of OPS-6 once (recognised by the Acme Tools Registry ID).
pub async fn load_demo_data(state: &AppState) -> Result<bool, ServiceError> {
    let mut tx = state.db.begin().await?;
    if organizations::find_by_registry_id(&mut tx, "R-ACME01").await?.is_some() {
        return Ok(false);
    }
    let t = DEMO_TIME;
    sqlx::query(
        "INSERT INTO sites (id, key, name, required_role_id, is_active, created_at) \
         VALUES ($1, 'trade-counter', 'Trade Counter', '00000000-0000-7000-8000-000000000101', 1, $2)",
    )
    .bind(new_id())
    .bind(t)
    .execute(&mut *tx)
    .await?;

    // Dana Smith: an individual who bought by phone.
    let dana =
        persons::insert(&mut tx, &persons::NewPerson { first_name: "Dana", last_name: "Smith", language: "en" }, t)
            .await?;
    persons::add_email(&mut tx, &dana, "dana.smith@example.com", true, t).await?;
    persons::add_phone(&mut tx, &dana, "+1 415 555 0100", "+14155550100", "personal", t).await?;
    let dana_account =
        accounts::insert(&mut tx, accounts::Owner::Person(dana.as_str()), "A-100001", false, None, t).await?;
    insert_order(&mut tx, "O-500001", &dana_account, None, "94105", t).await?;

    // Acme Tools: a company with one contact, Lee Chen.
    let acme = new_id();
    sqlx::query(
        "INSERT INTO organizations (id, registry_id, name, is_partner, status, website, annual_revenue, created_at, updated_at) \
         VALUES ($1, 'R-ACME01', 'Acme Tools', 0, 'active', NULL, NULL, $2, $2)",
    )
    .bind(&acme)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    let lee = persons::insert(&mut tx, &persons::NewPerson { first_name: "Lee", last_name: "Chen", language: "en" }, t)
        .await?;
    persons::add_email(&mut tx, &lee, "lee.chen@acme.example", true, t).await?;
    let lee_contact =
        organizations::insert_contact(&mut tx, &lee, &acme, ContactKind::EmployeeOf, Some("Buyer"), t).await?;
    let acme_account =
        accounts::insert(&mut tx, accounts::Owner::Organization(acme.as_str()), "A-200001", true, None, t).await?;
    insert_order(&mut tx, "O-600001", &acme_account, Some(&lee_contact), "10001", ACME_ORDER_TIME).await?;
    tx.commit().await?;
    Ok(true)
}

async fn insert_order(
    conn: &mut sqlx::AnyConnection,
    number: &str,
    account_id: &str,
    sold_to: Option<&str>,
    postal_code: &str,
    placed_at: i64,
) -> Result<(), crate::backend::StoreError> {
    sqlx::query(
        "INSERT INTO orders (id, order_number, account_id, sold_to_contact_id, bill_to_postal_code, placed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(number)
    .bind(account_id)
    .bind(sold_to)
    .bind(postal_code)
    .bind(placed_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
