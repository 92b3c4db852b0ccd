//! Users and organizations as the JSON API reads them (API-3): filtered, limited to an
//! integration user's sales groups (API-2), and paged by key (API-4) — every page an index walk
//! from the last id seen, never an OFFSET.

use sqlx::{AnyConnection, FromRow};

use crate::backend::error::{parse_stored, StoreError};
use crate::domain::{OrganizationKind, RecordStatus, UserStatus};

/// The organizations of an integration user's sales groups, as SQL over the organization
/// column `column`, bound to `$n` (the integration user's id). A record without organization
/// (an individual) is within every integration user's reach (API-2: sales groups limit
/// organizations).
fn within_sales_groups(column: &str, n: usize) -> String {
    format!(
        "({column} IS NULL OR {column} IN (SELECT g.group_name FROM integration_user_groups g \
           WHERE g.integration_user_id = ${n} AND g.group_kind = 'sales'))"
    )
}

/// A user as the API shows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: String,
    pub username: String,
    pub status: UserStatus,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub organization_id: Option<String>,
    pub user_type: Option<String>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub created_at: i64,
}

#[derive(FromRow)]
struct UserRow {
    id: String,
    username: String,
    status: String,
    first_name: String,
    last_name: String,
    email: Option<String>,
    organization_id: Option<String>,
    user_type: Option<String>,
    start_at: Option<i64>,
    end_at: Option<i64>,
    created_at: i64,
}

impl TryFrom<UserRow> for DirectoryUser {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(Self {
            status: parse_stored("user status", &r.status)?,
            id: r.id,
            username: r.username,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            organization_id: r.organization_id,
            user_type: r.user_type,
            start_at: r.start_at,
            end_at: r.end_at,
            created_at: r.created_at,
        })
    }
}

const USER_COLUMNS: &str = "u.id, u.username, u.status, p.first_name, p.last_name, \
   (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
   u.organization_id, ut.key AS user_type, u.start_at, u.end_at, u.created_at";

const USER_FROM: &str =
    "FROM users u JOIN persons p ON p.id = u.person_id LEFT JOIN user_types ut ON ut.id = u.user_type_id";

/// What `GET /api/v1/users` narrows the list to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// A username, matched case-insensitively and exactly.
    pub username: Option<String>,
    /// An e-mail address of the user's person, matched case-insensitively and exactly.
    pub email: Option<String>,
    pub organization_id: Option<String>,
    pub status: Option<UserStatus>,
}

/// A page of users after the id `after`, by id. `sales_of`: the integration user whose sales
/// groups limit the list (`None`: not limited). Merchant admins are never listed.
pub async fn users(
    conn: &mut AnyConnection,
    filter: &UserFilter,
    sales_of: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DirectoryUser>, StoreError> {
    let mut sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.is_merchant_admin = 0 AND u.id > $1");
    let mut binds: Vec<String> = vec![after.unwrap_or("").to_owned()];
    let mut next = |value: String| {
        binds.push(value);
        binds.len()
    };
    if let Some(username) = &filter.username {
        let n = next(username.to_lowercase());
        sql.push_str(&format!(" AND u.lower_username = ${n}"));
    }
    if let Some(email) = &filter.email {
        let n = next(email.to_lowercase());
        sql.push_str(&format!(
            " AND u.person_id IN (SELECT e.person_id FROM email_addresses e WHERE lower(e.address) = ${n})"
        ));
    }
    if let Some(organization_id) = &filter.organization_id {
        let n = next(organization_id.clone());
        sql.push_str(&format!(" AND u.organization_id = ${n}"));
    }
    if let Some(status) = filter.status {
        let n = next(status.to_string());
        sql.push_str(&format!(" AND u.status = ${n}"));
    }
    if let Some(integration) = sales_of {
        let n = next(integration.to_owned());
        sql.push_str(&format!(" AND {}", within_sales_groups("u.organization_id", n)));
    }
    // The limit is a number the server clamped, never input text.
    sql.push_str(&format!(" ORDER BY u.id LIMIT {}", limit.clamp(1, 1000)));
    let mut query = sqlx::query_as::<_, UserRow>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    query.fetch_all(&mut *conn).await?.into_iter().map(DirectoryUser::try_from).collect()
}

/// One user by id (not a merchant admin), whatever their status.
pub async fn user(conn: &mut AnyConnection, id: &str) -> Result<Option<DirectoryUser>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1 AND u.is_merchant_admin = 0");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.map(DirectoryUser::try_from).transpose()
}

/// An organization as the API shows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryOrganization {
    pub id: String,
    pub registry_id: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub status: RecordStatus,
    pub created_at: i64,
}

#[derive(FromRow)]
struct OrganizationRow {
    id: String,
    registry_id: String,
    name: String,
    is_partner: i64,
    status: String,
    created_at: i64,
}

impl TryFrom<OrganizationRow> for DirectoryOrganization {
    type Error = StoreError;
    fn try_from(r: OrganizationRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: OrganizationKind::from_partner_flag(r.is_partner != 0),
            status: parse_stored("organization status", &r.status)?,
            id: r.id,
            registry_id: r.registry_id,
            name: r.name,
            created_at: r.created_at,
        })
    }
}

const ORGANIZATION_COLUMNS: &str = "o.id, o.registry_id, o.name, o.is_partner, o.status, o.created_at";

/// A page of organizations after the id `after`, by id, optionally only the one with
/// `registry_id`, limited to `sales_of`'s sales groups when given.
pub async fn organizations(
    conn: &mut AnyConnection,
    registry_id: Option<&str>,
    sales_of: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DirectoryOrganization>, StoreError> {
    let mut sql = format!("SELECT {ORGANIZATION_COLUMNS} FROM organizations o WHERE o.id > $1");
    let mut binds: Vec<String> = vec![after.unwrap_or("").to_owned()];
    if let Some(registry_id) = registry_id {
        binds.push(registry_id.to_owned());
        sql.push_str(&format!(" AND o.registry_id = ${}", binds.len()));
    }
    if let Some(integration) = sales_of {
        binds.push(integration.to_owned());
        // An organization is never "without organization": only the sales groups count.
        sql.push_str(&format!(
            " AND o.id IN (SELECT g.group_name FROM integration_user_groups g \
               WHERE g.integration_user_id = ${} AND g.group_kind = 'sales')",
            binds.len()
        ));
    }
    sql.push_str(&format!(" ORDER BY o.id LIMIT {}", limit.clamp(1, 1000)));
    let mut query = sqlx::query_as::<_, OrganizationRow>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    query.fetch_all(&mut *conn).await?.into_iter().map(DirectoryOrganization::try_from).collect()
}

pub async fn organization(conn: &mut AnyConnection, id: &str) -> Result<Option<DirectoryOrganization>, StoreError> {
    let sql = format!("SELECT {ORGANIZATION_COLUMNS} FROM organizations o WHERE o.id = $1");
    let row: Option<OrganizationRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.map(DirectoryOrganization::try_from).transpose()
}

/// Organizations whose name starts with `q` (case-insensitive) or whose Registry ID is `q`:
/// the console's sales-group picker (CON-4). At most `limit`, by name.
pub async fn find_organizations(
    conn: &mut AnyConnection,
    q: &str,
    limit: i64,
) -> Result<Vec<DirectoryOrganization>, StoreError> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let lower = q.to_lowercase();
    // `lower(name)` ranges walk the organizations_name index; `|| '\u{10FFFF}'` would not be
    // portable, so the upper bound is the prefix with its last character incremented.
    let upper = prefix_upper_bound(&lower);
    let sql = format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations o \
         WHERE (lower(o.name) >= $1 AND lower(o.name) < $2) OR o.registry_id = $3 \
         ORDER BY lower(o.name), o.id LIMIT {}",
        limit.clamp(1, 100)
    );
    let rows: Vec<OrganizationRow> =
        sqlx::query_as(&sql).bind(&lower).bind(&upper).bind(q.to_uppercase()).fetch_all(&mut *conn).await?;
    rows.into_iter().map(DirectoryOrganization::try_from).collect()
}

/// The organizations with these ids that exist, by name (the chosen sales groups).
pub async fn organizations_by_id(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<DirectoryOrganization>, StoreError> {
    let mut found = Vec::new();
    for id in ids {
        if let Some(organization) = organization(conn, id).await? {
            found.push(organization);
        }
    }
    found.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    Ok(found)
}

/// The smallest string greater than every string starting with `prefix`.
fn prefix_upper_bound(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upper_bound_of_a_prefix_follows_every_string_starting_with_it() {
        assert_eq!(prefix_upper_bound("acme"), "acmf");
        assert!(*"acme tools" < *prefix_upper_bound("acme"));
        assert!("acmf" >= prefix_upper_bound("acme").as_str());
    }
}
