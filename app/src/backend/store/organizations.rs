//! Organizations (customer companies) and contacts, a person's relationship to one.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::{ContactKind, OrganizationKind, RecordStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: String,
    pub registry_id: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub status: RecordStatus,
}

#[derive(FromRow)]
struct OrganizationRow {
    id: String,
    registry_id: String,
    name: String,
    is_partner: i64,
    status: String,
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = StoreError;
    fn try_from(row: OrganizationRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: OrganizationKind::from_partner_flag(row.is_partner != 0),
            status: parse_stored("organization status", &row.status)?,
            id: row.id,
            registry_id: row.registry_id,
            name: row.name,
        })
    }
}

/// A random Registry ID (REG-6); a collision is retried by the caller (the column is unique).
pub fn random_registry_id() -> crate::domain::RegistryId {
    use rand::RngCore;
    let mut bytes = [0_u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    crate::domain::RegistryId::from_random_bytes(bytes)
}

pub async fn find_by_registry_id(
    conn: &mut AnyConnection,
    registry_id: &str,
) -> Result<Option<Organization>, StoreError> {
    let row: Option<OrganizationRow> =
        sqlx::query_as("SELECT id, registry_id, name, is_partner, status FROM organizations WHERE registry_id = $1")
            .bind(registry_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(Organization::try_from).transpose()
}

pub async fn find(conn: &mut AnyConnection, organization_id: &str) -> Result<Option<Organization>, StoreError> {
    let row: Option<OrganizationRow> =
        sqlx::query_as("SELECT id, registry_id, name, is_partner, status FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(Organization::try_from).transpose()
}

pub async fn insert_contact(
    conn: &mut AnyConnection,
    person_id: &str,
    organization_id: &str,
    kind: ContactKind,
    job_title: Option<&str>,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO contacts (id, person_id, organization_id, kind, job_title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)",
    )
    .bind(&id)
    .bind(person_id)
    .bind(organization_id)
    .bind(kind.to_string())
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
    kind: OrganizationKind,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO organizations (id, registry_id, name, is_partner, status, website, annual_revenue, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', NULL, NULL, $5, $5)",
    )
    .bind(&id)
    .bind(registry_id)
    .bind(name)
    .bind(super::flag(kind.is_partner()))
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
) -> Result<(), StoreError> {
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
) -> Result<String, StoreError> {
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
        sqlx::query("INSERT INTO address_usages (address_id, usage, is_preferred, owner_id) VALUES ($1, $2, 1, $3)")
            .bind(&id)
            .bind(*usage)
            .bind(organization_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The organization's name and Registry ID.
pub async fn name_and_registry_id(
    conn: &mut AnyConnection,
    organization_id: &str,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT name, registry_id FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Active contacts of the organization other than `except_contact_id` (REJ-1).
pub async fn other_active_contacts(
    conn: &mut AnyConnection,
    organization_id: &str,
    except_contact_id: &str,
) -> Result<i64, StoreError> {
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
    status: RecordStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE organizations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(now_ms)
        .bind(organization_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_contact_status(
    conn: &mut AnyConnection,
    contact_id: &str,
    status: RecordStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(now_ms)
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An organization a person may act for (PRO-7): one they have an active contact with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerChoice {
    pub id: String,
    pub name: String,
}

/// The active organizations `person_id` is an active contact of, by name (bounded: a person
/// relates to a handful of companies).
pub async fn customers_of_person(conn: &mut AnyConnection, person_id: &str) -> Result<Vec<CustomerChoice>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT o.id, o.name FROM contacts c JOIN organizations o ON o.id = c.organization_id \
         WHERE c.person_id = $1 AND c.status = $2 AND o.status = $2 ORDER BY o.name, o.id LIMIT 50",
    )
    .bind(person_id)
    .bind(RecordStatus::Active.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| CustomerChoice { id, name }).collect())
}

/// What the company profile shows (PRO-5).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ProfileRow {
    pub registry_id: String,
    pub name: String,
    pub website: Option<String>,
    pub annual_revenue: Option<i64>,
}

pub async fn profile(conn: &mut AnyConnection, organization_id: &str) -> Result<Option<ProfileRow>, StoreError> {
    Ok(sqlx::query_as("SELECT registry_id, name, website, annual_revenue FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// PRO-5: name, website and annual revenue; the Registry ID is never changed here.
pub async fn update_profile(
    conn: &mut AnyConnection,
    organization_id: &str,
    name: &str,
    website: Option<&str>,
    annual_revenue: Option<i64>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE organizations SET name = $1, website = $2, annual_revenue = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(name)
    .bind(website)
    .bind(annual_revenue)
    .bind(now_ms)
    .bind(organization_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One of the company's primary users (PRO-6).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AdministratorRow {
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// PRO-6: the organization's active users holding a primary-user role now, by name, at most
/// `limit` (a company has a handful; the bound keeps a bad day cheap).
pub async fn administrators(
    conn: &mut AnyConnection,
    organization_id: &str,
    now_ms: i64,
    limit: i64,
) -> Result<Vec<AdministratorRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.first_name, p.last_name, u.username, \
           (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
           (SELECT f.number FROM phones f WHERE f.person_id = p.id ORDER BY f.is_primary DESC, f.created_at LIMIT 1) AS phone \
         FROM users u JOIN persons p ON p.id = u.person_id \
         WHERE u.organization_id = $1 AND u.status = 'active' \
           AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
                       WHERE ur.user_id = u.id AND r.key IN ('primary_user', 'partner_primary_user') \
                         AND (ur.start_at IS NULL OR ur.start_at <= $2) AND (ur.end_at IS NULL OR ur.end_at > $2)) \
         ORDER BY lower(p.last_name), lower(p.first_name), u.username LIMIT $3",
    )
    .bind(organization_id)
    .bind(now_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// PAR-2: the person's contact relationship with the organization, active again, or a new one.
pub async fn ensure_active_contact(
    conn: &mut AnyConnection,
    person_id: &str,
    organization_id: &str,
    now_ms: i64,
) -> Result<String, StoreError> {
    let existing: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM contacts WHERE person_id = $1 AND organization_id = $2 AND kind = 'employee_of' \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(person_id)
    .bind(organization_id)
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some((id,)) => {
            set_contact_status(conn, &id, RecordStatus::Active, now_ms).await?;
            Ok(id)
        }
        None => insert_contact(conn, person_id, organization_id, ContactKind::EmployeeOf, None, now_ms).await,
    }
}
