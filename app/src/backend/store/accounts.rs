//! Financial accounts and their assignment to users.

use sqlx::AnyConnection;

use crate::backend::new_id;

/// Account numbers are `A-` and 8 characters of the Registry ID alphabet; a collision is
/// retried by the caller (the column is unique).
pub fn generate_account_number() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let tail: String = (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("A-{tail}")
}

pub enum Owner<'a> {
    Person(&'a str),
    Organization(&'a str),
}

pub async fn insert(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    account_number: &str,
    company_primary: bool,
    created_by_request: Option<&str>,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
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
) -> Result<(), sqlx::Error> {
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

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignedAccount {
    pub account_number: String,
    pub status: String,
    pub is_primary: i64,
}

pub async fn assigned_to(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<AssignedAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.account_number, a.status, aa.is_primary FROM account_assignments aa \
         JOIN accounts a ON a.id = aa.account_id WHERE aa.user_id = $1 ORDER BY a.account_number LIMIT 100",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct CompanyAccount {
    pub id: String,
    pub account_number: String,
    pub is_company_primary: i64,
}

/// A company's active accounts (REJ-4: inactive ones are never offered), primary first.
pub async fn active_of_organization(
    conn: &mut AnyConnection,
    organization_id: &str,
) -> Result<Vec<CompanyAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_number, is_company_primary FROM accounts WHERE organization_id = $1 AND status = 'active' \
         ORDER BY is_company_primary DESC, account_number LIMIT 200",
    )
    .bind(organization_id)
    .fetch_all(&mut *conn)
    .await
}

pub async fn inactivate_of_organization(conn: &mut AnyConnection, organization_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET status = 'inactive' WHERE organization_id = $1")
        .bind(organization_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn inactivate_of_person(conn: &mut AnyConnection, person_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET status = 'inactive' WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
