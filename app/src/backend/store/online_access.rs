//! What online access (OAA-1 … OAA-3) reads: the records a customer's proof must match, and the
//! logins those records already have.

use sqlx::AnyConnection;

use crate::backend::error::{parse_stored, StoreError};
use crate::domain::UserStatus;

/// An active account of an active person, with the person's phones (OAA-1). `None` when the
/// account does not exist, is inactive, belongs to an organization, or no order on it was
/// billed to `postal_code_key` (letters and digits only, upper case).
#[derive(Debug, Clone)]
pub struct PersonAccount {
    pub account_id: String,
    pub person_id: String,
    pub first_name: String,
    pub phones: Vec<String>,
}

pub async fn person_account(
    conn: &mut AnyConnection,
    account_number: &str,
    postal_code_key: &str,
) -> Result<Option<PersonAccount>, StoreError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT a.id, a.person_id, p.first_name FROM accounts a JOIN persons p ON p.id = a.person_id \
         WHERE a.account_number = $1 AND a.status = 'active' AND p.status = 'active' \
           AND EXISTS (SELECT 1 FROM orders o WHERE o.account_id = a.id \
             AND upper(replace(replace(o.bill_to_postal_code, ' ', ''), '-', '')) = $2)",
    )
    .bind(account_number)
    .bind(postal_code_key)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((account_id, person_id, first_name)) = row else { return Ok(None) };
    let phones: Vec<(String,)> =
        sqlx::query_as("SELECT digits FROM phones WHERE person_id = $1").bind(&person_id).fetch_all(&mut *conn).await?;
    Ok(Some(PersonAccount { account_id, person_id, first_name, phones: phones.into_iter().map(|(d,)| d).collect() }))
}

/// The order of OAA-2 and its sold-to contact: an active account of an active organization,
/// the order placed on it between `from_ms` and `to_ms`, and its sold-to contact, active, of
/// that organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SoldTo {
    pub account_id: String,
    pub organization_id: String,
    pub contact_id: String,
    pub person_id: String,
    pub first_name: String,
}

pub async fn sold_to(
    conn: &mut AnyConnection,
    account_number: &str,
    order_number: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Option<SoldTo>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.organization_id, c.id AS contact_id, c.person_id, p.first_name \
         FROM accounts a \
         JOIN organizations org ON org.id = a.organization_id \
         JOIN orders o ON o.account_id = a.id \
         JOIN contacts c ON c.id = o.sold_to_contact_id \
         JOIN persons p ON p.id = c.person_id \
         WHERE a.account_number = $1 AND a.status = 'active' AND org.status = 'active' \
           AND o.order_number = $2 AND o.placed_at BETWEEN $3 AND $4 \
           AND c.organization_id = a.organization_id AND c.status = 'active' AND p.status = 'active'",
    )
    .bind(account_number)
    .bind(order_number)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The statuses of the logins a person (or, with `contact_id`, that contact relationship)
/// holds now: released usernames (rejected, deleted) are not counted (OAA-3).
pub async fn login_statuses(
    conn: &mut AnyConnection,
    person_id: &str,
    contact_id: Option<&str>,
) -> Result<Vec<UserStatus>, StoreError> {
    let rows: Vec<(String,)> =
        match contact_id {
            Some(contact_id) => {
                sqlx::query_as("SELECT status FROM users WHERE contact_id = $1 AND released_at IS NULL")
                    .bind(contact_id)
                    .fetch_all(&mut *conn)
                    .await?
            }
            None => sqlx::query_as(
                "SELECT status FROM users WHERE person_id = $1 AND organization_id IS NULL AND released_at IS NULL \
                   AND is_merchant_admin = 0",
            )
            .bind(person_id)
            .fetch_all(&mut *conn)
            .await?,
        };
    rows.into_iter().map(|(s,)| parse_stored("user status", &s)).collect()
}
