//! Organizations (customer companies) and contacts, a person's relationship to one.

use sqlx::{AnyConnection, FromRow};

use crate::backend::new_id;

#[derive(Debug, Clone, FromRow)]
pub struct OrganizationRecord {
    pub id: String,
    pub registry_id: String,
    pub name: String,
    pub is_partner: i64,
    pub status: String,
}

pub async fn find_by_registry_id(
    conn: &mut AnyConnection,
    registry_id: &str,
) -> Result<Option<OrganizationRecord>, sqlx::Error> {
    sqlx::query_as("SELECT id, registry_id, name, is_partner, status FROM organizations WHERE registry_id = $1")
        .bind(registry_id)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn insert_contact(
    conn: &mut AnyConnection,
    person_id: &str,
    organization_id: &str,
    kind: &str,
    job_title: Option<&str>,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO contacts (id, person_id, organization_id, kind, job_title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(organization_id)
    .bind(kind)
    .bind(job_title)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn insert(
    conn: &mut AnyConnection,
    registry_id: &str,
    name: &str,
    is_partner: bool,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO organizations (id, registry_id, name, is_partner, status, website, annual_revenue, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', NULL, NULL, $5, $5)",
    )
    .bind(&id)
    .bind(registry_id)
    .bind(name)
    .bind(super::flag(is_partner))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn add_phone(
    conn: &mut AnyConnection,
    organization_id: &str,
    number: &str,
    digits: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO phones (id, person_id, organization_id, number, digits, kind, is_primary, created_at) \
         VALUES ($1, NULL, $2, $3, $4, 'business', 1, $5)",
    )
    .bind(new_id())
    .bind(organization_id)
    .bind(number)
    .bind(digits)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub struct NewAddress<'a> {
    pub line1: &'a str,
    pub line2: Option<&'a str>,
    pub city: &'a str,
    pub region: Option<&'a str>,
    pub postal_code: &'a str,
    pub country: &'a str,
}

/// An organization's address, preferred for each of `usages` ("billing", "shipping").
pub async fn add_address(
    conn: &mut AnyConnection,
    organization_id: &str,
    address: &NewAddress<'_>,
    usages: &[&str],
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO addresses (id, person_id, organization_id, line1, line2, city, region, postal_code, country, status, created_at) \
         VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, 'active', $9)",
    )
    .bind(&id)
    .bind(organization_id)
    .bind(address.line1)
    .bind(address.line2)
    .bind(address.city)
    .bind(address.region)
    .bind(address.postal_code)
    .bind(address.country)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    for usage in usages {
        sqlx::query("INSERT INTO address_usages (address_id, usage, is_preferred) VALUES ($1, $2, 1)")
            .bind(&id)
            .bind(*usage)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The organization's name and Registry ID.
pub async fn name_and_registry_id(
    conn: &mut AnyConnection,
    organization_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, registry_id FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_optional(&mut *conn)
        .await
}

/// Active contacts of the organization other than `except_contact_id` (REJ-1).
pub async fn other_active_contacts(
    conn: &mut AnyConnection,
    organization_id: &str,
    except_contact_id: &str,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE organization_id = $1 AND status = 'active' AND id <> $2")
            .bind(organization_id)
            .bind(except_contact_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}

pub async fn set_status(
    conn: &mut AnyConnection,
    organization_id: &str,
    status: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organizations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now_ms)
        .bind(organization_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_contact_status(
    conn: &mut AnyConnection,
    contact_id: &str,
    status: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE contacts SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now_ms)
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
