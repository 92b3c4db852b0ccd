//! Postal addresses of a person (PRO-2) or an organization (PRO-5) and their usages. Every
//! statement is scoped by the owner, so an id of someone else's address matches nothing and
//! reads exactly like an unknown id (SEC-5). Removed addresses are inactive and never read
//! (REJ-4).

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::new_id;
use crate::domain::{AddressUsage, CountryCode, PostalAddress, PostalCode};

/// Whose address book: a person's or an organization's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    Person(&'a str),
    Organization(&'a str),
}

impl Owner<'_> {
    /// The owner column; only these two static names are ever put into SQL text.
    fn column(self) -> &'static str {
        match self {
            Owner::Person(_) => "person_id",
            Owner::Organization(_) => "organization_id",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Owner::Person(id) | Owner::Organization(id) => id,
        }
    }
}

/// Takes the owner's row lock (PostgreSQL; SQLite has one writer anyway) so that changes of
/// one owner's book run one after the other: two "Make preferred" requests then never
/// deadlock on each other's usage rows, and the second sees what the first left.
pub async fn lock_owner(conn: &mut AnyConnection, owner: Owner<'_>) -> Result<(), StoreError> {
    let sql = match owner {
        Owner::Person(_) => "UPDATE persons SET updated_at = updated_at WHERE id = $1",
        Owner::Organization(_) => "UPDATE organizations SET updated_at = updated_at WHERE id = $1",
    };
    sqlx::query(sql).bind(owner.id()).execute(&mut *conn).await?;
    Ok(())
}

/// An active address with its usages and whether it is the preferred one for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddress {
    pub id: String,
    pub address: PostalAddress,
    pub usages: Vec<(AddressUsage, bool)>,
}

#[derive(FromRow)]
struct AddressRow {
    id: String,
    line1: String,
    line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
}

impl TryFrom<AddressRow> for StoredAddress {
    type Error = StoreError;
    fn try_from(row: AddressRow) -> Result<Self, StoreError> {
        let postal_code =
            PostalCode::parse(&row.postal_code).map_err(|_| StoreError::corrupt("postal code", &row.postal_code))?;
        let country = CountryCode::parse(&row.country).map_err(|_| StoreError::corrupt("country", &row.country))?;
        Ok(StoredAddress {
            id: row.id,
            address: PostalAddress {
                line1: row.line1,
                line2: row.line2,
                city: row.city,
                region: row.region,
                postal_code,
                country,
            },
            usages: Vec::new(),
        })
    }
}

const COLUMNS: &str = "a.id, a.line1, a.line2, a.city, a.region, a.postal_code, a.country";

/// The owner's active addresses, newest first, at most `limit` (the book is bounded by the use
/// case, so this is the whole book).
pub async fn active(conn: &mut AnyConnection, owner: Owner<'_>, limit: i64) -> Result<Vec<StoredAddress>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM addresses a WHERE a.{} = $1 AND a.status = 'active' ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
        owner.column()
    );
    let rows: Vec<AddressRow> = sqlx::query_as(&sql).bind(owner.id()).bind(limit).fetch_all(&mut *conn).await?;
    let mut addresses = rows.into_iter().map(StoredAddress::try_from).collect::<Result<Vec<_>, _>>()?;
    let usages: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT address_id, usage, is_preferred FROM address_usages WHERE owner_id = $1 ORDER BY usage LIMIT $2",
    )
    .bind(owner.id())
    .bind(limit * 2)
    .fetch_all(&mut *conn)
    .await?;
    for (address_id, usage, preferred) in usages {
        if let Some(address) = addresses.iter_mut().find(|a| a.id == address_id) {
            address.usages.push((parse_stored("address usage", &usage)?, preferred != 0));
        }
    }
    Ok(addresses)
}

/// One active address of the owner, or `None` (unknown, removed, or someone else's).
pub async fn find(conn: &mut AnyConnection, owner: Owner<'_>, id: &str) -> Result<Option<StoredAddress>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM addresses a WHERE a.id = $1 AND a.{} = $2 AND a.status = 'active'",
        owner.column()
    );
    let row: Option<AddressRow> = sqlx::query_as(&sql).bind(id).bind(owner.id()).fetch_optional(&mut *conn).await?;
    let Some(mut address) = row.map(StoredAddress::try_from).transpose()? else { return Ok(None) };
    let usages: Vec<(String, i64)> =
        sqlx::query_as("SELECT usage, is_preferred FROM address_usages WHERE address_id = $1 ORDER BY usage")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    for (usage, preferred) in usages {
        address.usages.push((parse_stored("address usage", &usage)?, preferred != 0));
    }
    Ok(Some(address))
}

pub async fn count_active(conn: &mut AnyConnection, owner: Owner<'_>) -> Result<i64, StoreError> {
    let sql = format!("SELECT COUNT(*) FROM addresses WHERE {} = $1 AND status = 'active'", owner.column());
    let (n,): (i64,) = sqlx::query_as(&sql).bind(owner.id()).fetch_one(&mut *conn).await?;
    Ok(n)
}

pub async fn insert(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    address: &PostalAddress,
    now_ms: i64,
) -> Result<String, StoreError> {
    let id = new_id();
    let (person, organization) = match owner {
        Owner::Person(p) => (Some(p), None),
        Owner::Organization(o) => (None, Some(o)),
    };
    sqlx::query(
        "INSERT INTO addresses (id, person_id, organization_id, line1, line2, city, region, postal_code, country, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10)",
    )
    .bind(&id)
    .bind(person)
    .bind(organization)
    .bind(&address.line1)
    .bind(address.line2.as_deref())
    .bind(&address.city)
    .bind(address.region.as_deref())
    .bind(address.postal_code.as_str())
    .bind(address.country.as_str())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Changes an active address of the owner; `false` when there is none with this id.
pub async fn update(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    id: &str,
    address: &PostalAddress,
) -> Result<bool, StoreError> {
    let sql = format!(
        "UPDATE addresses SET line1 = $1, line2 = $2, city = $3, region = $4, postal_code = $5, country = $6 \
         WHERE id = $7 AND {} = $8 AND status = 'active'",
        owner.column()
    );
    let done = sqlx::query(&sql)
        .bind(&address.line1)
        .bind(address.line2.as_deref())
        .bind(&address.city)
        .bind(address.region.as_deref())
        .bind(address.postal_code.as_str())
        .bind(address.country.as_str())
        .bind(id)
        .bind(owner.id())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// REJ-4: the address becomes inactive and loses its usages, so it is never offered again.
pub async fn deactivate(conn: &mut AnyConnection, owner: Owner<'_>, id: &str) -> Result<bool, StoreError> {
    let sql = format!(
        "UPDATE addresses SET status = 'inactive' WHERE id = $1 AND {} = $2 AND status = 'active'",
        owner.column()
    );
    let done = sqlx::query(&sql).bind(id).bind(owner.id()).execute(&mut *conn).await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM address_usages WHERE address_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(true)
}

/// Gives the address exactly `usages`: dropped ones go (with their preference), new ones are
/// added, not preferred. The caller has checked the address is the owner's.
pub async fn set_usages(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    id: &str,
    usages: &[AddressUsage],
) -> Result<(), StoreError> {
    for usage in AddressUsage::ALL {
        if usages.contains(&usage) {
            sqlx::query(
                "INSERT INTO address_usages (address_id, usage, is_preferred, owner_id) VALUES ($1, $2, 0, $3) \
                 ON CONFLICT (address_id, usage) DO NOTHING",
            )
            .bind(id)
            .bind(usage.to_string())
            .bind(owner.id())
            .execute(&mut *conn)
            .await?;
        } else {
            sqlx::query("DELETE FROM address_usages WHERE address_id = $1 AND usage = $2")
                .bind(id)
                .bind(usage.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Makes `id` the owner's one preferred address for `usage`: the previous one stops being
/// preferred first (the unique index refuses two). `false` when `id` does not serve `usage`.
pub async fn make_preferred(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    id: &str,
    usage: AddressUsage,
) -> Result<bool, StoreError> {
    sqlx::query("UPDATE address_usages SET is_preferred = 0 WHERE owner_id = $1 AND usage = $2 AND is_preferred = 1")
        .bind(owner.id())
        .bind(usage.to_string())
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "UPDATE address_usages SET is_preferred = 1 WHERE address_id = $1 AND usage = $2 AND owner_id = $3",
    )
    .bind(id)
    .bind(usage.to_string())
    .bind(owner.id())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When no address is preferred for `usage`, the newest active address serving it becomes
/// preferred (PRO-2: a book with billing addresses always has a preferred billing address).
pub async fn ensure_preferred(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
    usage: AddressUsage,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE address_usages SET is_preferred = 1 \
         WHERE owner_id = $1 AND usage = $2 AND address_id = ( \
             SELECT a.id FROM addresses a JOIN address_usages u ON u.address_id = a.id \
             WHERE a.{} = $1 AND a.status = 'active' AND u.usage = $2 \
             ORDER BY a.created_at DESC, a.id DESC LIMIT 1) \
         AND NOT EXISTS (SELECT 1 FROM address_usages p WHERE p.owner_id = $1 AND p.usage = $2 AND p.is_preferred = 1)",
        owner.column()
    );
    sqlx::query(&sql).bind(owner.id()).bind(usage.to_string()).execute(&mut *conn).await?;
    Ok(())
}
