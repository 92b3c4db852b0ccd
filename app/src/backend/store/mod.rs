//! All SQL lives here: portable statements with `$1` placeholders over the `Any` driver, rows
//! converted to domain values in one place, constraint violations translated once.

pub mod accounts;
pub mod addresses;
pub mod api_tokens;
pub mod approval_setup;
pub mod approvals;
pub mod approvers;
pub mod audit;
pub mod catalog;
pub mod console_users;
pub mod contacts;
pub mod custom_roles;
pub mod customer_import;
pub mod directory;
pub mod email_addresses;
pub mod email_confirmations;
pub mod idempotency;
pub mod integration_users;
pub mod json_rows;
pub mod login_help;
pub mod online_access;
pub mod organizations;
pub mod outbox;
pub mod person_profile;
pub mod persons;
pub mod phones;
pub mod requests;
pub mod roles;
pub mod server_secrets;
pub mod sessions;
pub mod sites;
pub mod throttle;
pub mod user_search;
pub mod user_types;
pub mod users;

use sqlx::AnyConnection;

use crate::backend::error::{StoreError, Unique};

/// Booleans are stored as INTEGER 0/1 (the `Any` driver decodes no BOOLEAN).
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// The insert of one attempt: a future borrowing the connection for that attempt only.
pub type Attempt<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// How often a freshly generated key (Registry ID, account number) is retried on a collision.
const FRESH_KEY_ATTEMPTS: usize = 5;

/// Inserts a row keyed by a freshly generated human identifier, generating another one when it
/// collides with `unique`. Each attempt runs under a savepoint, so a collision does not abort the
/// caller's transaction (PostgreSQL). Any other error ends the attempts at once.
pub async fn insert_with_fresh_key<K, T>(
    conn: &mut AnyConnection,
    unique: Unique,
    mut fresh: impl FnMut() -> K,
    mut insert: impl for<'a> FnMut(&'a mut AnyConnection, &'a K) -> Attempt<'a, T>,
) -> Result<(K, T), StoreError> {
    for _ in 0..FRESH_KEY_ATTEMPTS {
        let key = fresh();
        sqlx::query("SAVEPOINT fresh_key").execute(&mut *conn).await?;
        match insert(&mut *conn, &key).await {
            Ok(inserted) => {
                sqlx::query("RELEASE SAVEPOINT fresh_key").execute(&mut *conn).await?;
                return Ok((key, inserted));
            }
            Err(StoreError::Duplicate(hit)) if hit == unique => {
                sqlx::query("ROLLBACK TO SAVEPOINT fresh_key").execute(&mut *conn).await?;
            }
            Err(other) => return Err(other),
        }
    }
    Err(StoreError::Duplicate(unique))
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Executor};

    use super::*;

    /// Collides twice, then succeeds; a non-key error is returned at once.
    // covers: REG-6
    #[tokio::test]
    async fn a_colliding_fresh_key_is_retried_inside_the_callers_transaction() {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect("sqlite::memory:").await.unwrap();
        conn.execute("CREATE TABLE organizations (registry_id TEXT NOT NULL UNIQUE)").await.unwrap();
        conn.execute("INSERT INTO organizations VALUES ('R-1'), ('R-2')").await.unwrap();
        let mut tx = conn.begin().await.unwrap();
        let mut keys = ["R-1", "R-2", "R-3"].into_iter();
        let (key, ()) = insert_with_fresh_key(
            &mut tx,
            Unique::RegistryId,
            || keys.next().unwrap().to_owned(),
            |conn, key| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO organizations VALUES ($1)").bind(key).execute(&mut *conn).await?;
                    Ok(())
                })
            },
        )
        .await
        .unwrap();
        assert_eq!(key, "R-3");
        tx.commit().await.unwrap();
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations").fetch_one(&mut conn).await.unwrap();
        assert_eq!(n, 3, "the collisions rolled back to their savepoints, the last insert stayed");

        let other = insert_with_fresh_key(
            &mut conn,
            Unique::AccountNumber,
            || "R-1".to_owned(),
            |conn, key| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO organizations VALUES ($1)").bind(key).execute(&mut *conn).await?;
                    Ok(())
                })
            },
        )
        .await;
        assert!(matches!(other, Err(StoreError::Duplicate(Unique::RegistryId))), "{other:?}");
    }
}
