//! Financial accounts and their assignment to users.

use sqlx::AnyConnection;

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::RecordStatus;

/// Account numbers are `A-` and 8 characters of the Registry ID alphabet; a collision is
/// retried by the caller (the column is unique).
pub fn generate_account_number() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let tail: String = (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("A-{tail}")
}

/// Who an account belongs to: a person or an organization.
#[derive(Debug, Clone, Copy)]
pub enum Owner<T> {
    Person(T),
    Organization(T),
}

impl<T> Owner<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Owner<U> {
        match self {
            Owner::Person(id) => Owner::Person(f(id)),
            Owner::Organization(id) => Owner::Organization(f(id)),
        }
    }
}

impl Owner<String> {
    pub fn as_ref(&self) -> Owner<&str> {
        match self {
            Owner::Person(id) => Owner::Person(id),
            Owner::Organization(id) => Owner::Organization(id),
        }
    }
}

pub async fn insert(
    conn: &mut AnyConnection,
    owner: Owner<&str>,
    account_number: &str,
    company_primary: bool,
    created_by_request: Option<&str>,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    let (person, organization) = match owner {
        Owner::Person(p) => (Some(p), None),
        Owner::Organization(o) => (None, Some(o)),
    };
    sqlx::query(
        "INSERT INTO accounts (id, account_number, person_id, organization_id, is_company_primary, status, created_by_request, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)",
    )
    .bind(&id)
    .bind(account_number)
    .bind(person)
    .bind(organization)
    .bind(super::flag(company_primary))
    .bind(created_by_request)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn assign(
    conn: &mut AnyConnection,
    user_id: &str,
    account_id: &str,
    primary: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_assignments (user_id, account_id, is_primary, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, account_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(account_id)
    .bind(super::flag(primary))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedAccount {
    pub account_number: String,
    pub status: RecordStatus,
    pub is_primary: bool,
}

pub async fn assigned_to(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<AssignedAccount>, StoreError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT a.account_number, a.status, aa.is_primary FROM account_assignments aa \
         JOIN accounts a ON a.id = aa.account_id WHERE aa.user_id = $1 ORDER BY a.account_number LIMIT 100",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(account_number, status, is_primary)| {
            Ok(AssignedAccount {
                account_number,
                status: parse_stored("account status", &status)?,
                is_primary: is_primary != 0,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CompanyAccount {
    pub id: String,
    pub account_number: String,
    pub is_company_primary: bool,
}

/// A company's active accounts (REJ-4: inactive ones are never offered), primary first.
pub async fn active_of_organization(
    conn: &mut AnyConnection,
    organization_id: &str,
) -> Result<Vec<CompanyAccount>, StoreError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, account_number, is_company_primary FROM accounts WHERE organization_id = $1 AND status = $2 \
         ORDER BY is_company_primary DESC, account_number LIMIT 200",
    )
    .bind(organization_id)
    .bind(RecordStatus::Active.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, account_number, primary)| CompanyAccount { id, account_number, is_company_primary: primary != 0 })
        .collect())
}

pub async fn inactivate_of_organization(conn: &mut AnyConnection, organization_id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET status = $2 WHERE organization_id = $1")
        .bind(organization_id)
        .bind(RecordStatus::Inactive.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn inactivate_of_person(conn: &mut AnyConnection, person_id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET status = $2 WHERE person_id = $1")
        .bind(person_id)
        .bind(RecordStatus::Inactive.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An account a user may act on in a session (PRO-3): assigned to them and active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsableAccount {
    pub id: String,
    pub account_number: String,
    pub is_primary: bool,
}

/// The active accounts assigned to `user_id` that `owner` owns (the session's organization, or
/// the person for an individual), the primary first and then in the order they were assigned:
/// PRO-3's "if no primary was chosen the first assigned account counts as primary".
pub async fn usable_by(
    conn: &mut AnyConnection,
    user_id: &str,
    owner: Owner<&str>,
) -> Result<Vec<UsableAccount>, StoreError> {
    let (column, owner_id) = match owner {
        Owner::Person(id) => ("person_id", id),
        Owner::Organization(id) => ("organization_id", id),
    };
    let sql = format!(
        "SELECT a.id, a.account_number, aa.is_primary FROM account_assignments aa \
         JOIN accounts a ON a.id = aa.account_id \
         WHERE aa.user_id = $1 AND a.{column} = $2 AND a.status = $3 \
         ORDER BY aa.is_primary DESC, aa.created_at, a.account_number LIMIT 100"
    );
    let rows: Vec<(String, String, i64)> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(owner_id)
        .bind(RecordStatus::Active.to_string())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, account_number, primary)| UsableAccount { id, account_number, is_primary: primary != 0 })
        .collect())
}

/// PRO-3: `account_id` becomes the user's one primary account among those `owner` owns.
pub async fn set_primary_assignment(
    conn: &mut AnyConnection,
    user_id: &str,
    owner: Owner<&str>,
    account_id: &str,
) -> Result<(), StoreError> {
    let (column, owner_id) = match owner {
        Owner::Person(id) => ("person_id", id),
        Owner::Organization(id) => ("organization_id", id),
    };
    let sql = format!(
        "UPDATE account_assignments SET is_primary = CASE WHEN account_id = $2 THEN 1 ELSE 0 END \
         WHERE user_id = $1 AND account_id IN (SELECT id FROM accounts WHERE {column} = $3)"
    );
    sqlx::query(&sql).bind(user_id).bind(account_id).bind(owner_id).execute(&mut *conn).await?;
    Ok(())
}

/// One of a user's accounts on the Accounts tab (ADM-6): of the administrator's organization
/// only, whatever other customers the user may also work for (PRO-7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccount {
    pub id: String,
    pub account_number: String,
    pub is_primary: bool,
    pub status: RecordStatus,
}

/// The accounts of `organization_id` assigned to `user_id`: the primary first, then in the
/// order they were assigned.
pub async fn assigned_in_organization(
    conn: &mut AnyConnection,
    user_id: &str,
    organization_id: &str,
) -> Result<Vec<UserAccount>, StoreError> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT a.id, a.account_number, aa.is_primary, a.status FROM account_assignments aa \
         JOIN accounts a ON a.id = aa.account_id \
         WHERE aa.user_id = $1 AND a.organization_id = $2 \
         ORDER BY aa.is_primary DESC, aa.created_at, a.account_number LIMIT 200",
    )
    .bind(user_id)
    .bind(organization_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, account_number, primary, status)| {
            Ok(UserAccount {
                id,
                account_number,
                is_primary: primary != 0,
                status: parse_stored("account status", &status)?,
            })
        })
        .collect()
}

/// The active accounts of `organization_id` not assigned to `user_id` (ADM-6, REJ-4).
pub async fn assignable_to(
    conn: &mut AnyConnection,
    user_id: &str,
    organization_id: &str,
) -> Result<Vec<CompanyAccount>, StoreError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT a.id, a.account_number, a.is_company_primary FROM accounts a \
         WHERE a.organization_id = $1 AND a.status = $2 \
           AND NOT EXISTS (SELECT 1 FROM account_assignments aa WHERE aa.user_id = $3 AND aa.account_id = a.id) \
         ORDER BY a.is_company_primary DESC, a.account_number LIMIT 200",
    )
    .bind(organization_id)
    .bind(RecordStatus::Active.to_string())
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, account_number, primary)| CompanyAccount { id, account_number, is_company_primary: primary != 0 })
        .collect())
}

/// The account `account_id` if `organization_id` owns it: (number, status).
pub async fn of_organization(
    conn: &mut AnyConnection,
    organization_id: &str,
    account_id: &str,
) -> Result<Option<(String, RecordStatus)>, StoreError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT account_number, status FROM accounts WHERE id = $1 AND organization_id = $2")
            .bind(account_id)
            .bind(organization_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(number, status)| Ok((number, parse_stored("account status", &status)?))).transpose()
}

/// Takes the assignment away; `Some(was_primary)` when there was one.
pub async fn unassign(conn: &mut AnyConnection, user_id: &str, account_id: &str) -> Result<Option<bool>, StoreError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT is_primary FROM account_assignments WHERE user_id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(account_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((primary,)) = row else { return Ok(None) };
    sqlx::query("DELETE FROM account_assignments WHERE user_id = $1 AND account_id = $2")
        .bind(user_id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(primary != 0))
}

/// PRO-3 after a removal of the primary: the first remaining active account of
/// `organization_id` (in the order assigned) becomes the user's primary; its id, if any.
pub async fn promote_next_primary(
    conn: &mut AnyConnection,
    user_id: &str,
    organization_id: &str,
) -> Result<Option<String>, StoreError> {
    let next: Option<(String,)> = sqlx::query_as(
        "SELECT a.id FROM account_assignments aa JOIN accounts a ON a.id = aa.account_id \
         WHERE aa.user_id = $1 AND a.organization_id = $2 AND a.status = $3 \
         ORDER BY aa.created_at, a.account_number LIMIT 1",
    )
    .bind(user_id)
    .bind(organization_id)
    .bind(RecordStatus::Active.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((account_id,)) = next else { return Ok(None) };
    set_primary_assignment(conn, user_id, Owner::Organization(organization_id), &account_id).await?;
    Ok(Some(account_id))
}
