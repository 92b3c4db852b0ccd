//! The console's search of ALL users (CON-3): a prefix of the username, the first or last name
//! or any e-mail address, case-insensitive, with `%` and `_` meaning themselves; a status
//! filter; pages of a fixed size.
//!
//! Why it is built this way: a single query with `… OR … OR …` over four columns of three
//! tables cannot be answered from an index in any useful order, so its cost grows with the
//! number of matches (at 1,000,000 users, "s" matches a hundred thousand). Instead each source
//! (username, first name, last name, e-mail) is read as a range of its own index
//! (migrations/*/0014_console_users.sql) in the order (term, person, user), a small window at a
//! time, and the windows are merged like sorted lists. A user whose username, name and e-mail
//! all match is shown once, at its smallest matching term. A page reads a few windows whatever
//! the size of the database. Comparisons are binary (byte order), so a prefix is exactly a
//! range: `COLLATE "binary"` is SQLite's built-in order and, in PostgreSQL, a copy of "C".

use std::collections::VecDeque;

use sqlx::AnyConnection;

use crate::backend::error::{parse_stored, StoreError};
use crate::backend::store::json_rows;
use crate::domain::UserStatus;

/// Where a search resumes: the last shown row's matching term, person and user (keyset paging).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SearchKey {
    pub term: String,
    pub person_id: String,
    pub user_id: String,
}

impl SearchKey {
    /// The cursor as it travels in a URL: the three parts joined by a control character. The
    /// ids never contain it, so reading from the right is exact whatever the term holds.
    pub fn encode(&self) -> String {
        format!("{}\u{1f}{}\u{1f}{}", self.term, self.person_id, self.user_id)
    }

    pub fn decode(raw: &str) -> Option<SearchKey> {
        let mut parts = raw.rsplitn(3, '\u{1f}');
        let (user_id, person_id, term) = (parts.next()?, parts.next()?, parts.next()?);
        Some(SearchKey { term: term.to_owned(), person_id: person_id.to_owned(), user_id: user_id.to_owned() })
    }
}

/// What to look for. `prefix` is lower-cased by the caller (Rust's Unicode lower case; SQLite's
/// `lower()` folds only ASCII, so there a capital `É` in a stored name is matched as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub prefix: Option<String>,
    pub status: Option<UserStatus>,
    pub after: Option<SearchKey>,
}

/// One source of terms, with the index it is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Username,
    FirstName,
    LastName,
    Email,
}

impl Source {
    const ALL: [Source; 4] = [Source::Username, Source::FirstName, Source::LastName, Source::Email];

    /// The tables, the term and the person of each row.
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Source::Username => ("users u JOIN persons p ON p.id = u.person_id", "u.lower_username", "u.person_id"),
            Source::FirstName => ("persons p JOIN users u ON u.person_id = p.id", "lower(p.first_name)", "p.id"),
            Source::LastName => ("persons p JOIN users u ON u.person_id = p.id", "lower(p.last_name)", "p.id"),
            Source::Email => (
                "email_addresses e JOIN persons p ON p.id = e.person_id JOIN users u ON u.person_id = p.id",
                "lower(e.address)",
                "e.person_id",
            ),
        }
    }
}

/// One candidate row: its key and every term of its user that could match, to decide whether
/// this is the user's first match.
#[derive(Debug, serde::Deserialize)]
struct Candidate {
    term: String,
    person_id: String,
    user_id: String,
    l_username: String,
    l_first: String,
    l_last: String,
    /// The smallest matching e-mail address of the person (NULL without a prefix or a match).
    l_email: Option<String>,
}

impl Candidate {
    fn key(&self) -> SearchKey {
        SearchKey { term: self.term.clone(), person_id: self.person_id.clone(), user_id: self.user_id.clone() }
    }

    /// Whether this row is where its user first appears: no matching term of theirs is smaller.
    fn is_first_match(&self, bounds: Option<&(String, String)>) -> bool {
        let Some((lo, hi)) = bounds else { return true };
        let matching = |t: &&str| *t >= lo.as_str() && *t < hi.as_str();
        let terms = [Some(self.l_username.as_str()), Some(self.l_first.as_str()), Some(self.l_last.as_str())];
        let first = terms.into_iter().flatten().chain(self.l_email.as_deref()).filter(matching).min();
        first == Some(self.term.as_str())
    }
}

/// Rows read per window: a page and one more, so most pages need one window per source.
const WINDOW: i64 = 26;

/// The lower and upper bounds of the terms that start with `prefix` (byte order).
fn bounds(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}\u{10ffff}"))
}

/// Up to `limit` users matching `query`, in (term, person, user) order, after `query.after`.
pub async fn search(conn: &mut AnyConnection, query: &UserQuery, limit: usize) -> Result<Vec<SearchKey>, StoreError> {
    let bounds = query.prefix.as_deref().filter(|p| !p.is_empty()).map(bounds);
    let sources: &[Source] = if bounds.is_some() { &Source::ALL } else { &[Source::Username] };
    struct Window {
        source: Source,
        rows: VecDeque<Candidate>,
        after: Option<SearchKey>,
        exhausted: bool,
    }
    let mut windows: Vec<Window> = sources
        .iter()
        .map(|&source| Window { source, rows: VecDeque::new(), after: query.after.clone(), exhausted: false })
        .collect();
    let mut found: Vec<SearchKey> = Vec::new();
    let mut last_seen: Option<SearchKey> = None;
    while found.len() < limit {
        for window in windows.iter_mut().filter(|w| w.rows.is_empty() && !w.exhausted) {
            let rows = read_window(conn, window.source, bounds.as_ref(), query.status, window.after.as_ref()).await?;
            window.exhausted = (rows.len() as i64) < WINDOW;
            if let Some(last) = rows.last() {
                window.after = Some(last.key());
            }
            window.rows.extend(rows);
        }
        // The smallest head of all windows is the next row of the merged order.
        let Some(next) = windows
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.rows.front().map(|row| (i, row.key())))
            .min_by(|a, b| a.1.cmp(&b.1))
            .map(|(i, _)| i)
        else {
            break;
        };
        let Some(row) = windows[next].rows.pop_front() else { break };
        let key = row.key();
        // The same (term, person, user) from two sources (first name = last name) is one row.
        if last_seen.as_ref() == Some(&key) {
            continue;
        }
        last_seen = Some(key.clone());
        if row.is_first_match(bounds.as_ref()) {
            found.push(key);
        }
    }
    Ok(found)
}

/// One window of `source`: rows after `after` in (term, person, user) order, matching the
/// prefix and the status.
async fn read_window(
    conn: &mut AnyConnection,
    source: Source,
    bounds: Option<&(String, String)>,
    status: Option<UserStatus>,
    after: Option<&SearchKey>,
) -> Result<Vec<Candidate>, StoreError> {
    let (from, term, person) = source.parts();
    let mut binds: Vec<String> = Vec::new();
    let mut next = |value: &str| {
        binds.push(value.to_owned());
        format!("${}", binds.len())
    };
    let mut conditions = Vec::new();
    let email = match bounds {
        Some((lo, hi)) => {
            let (lo, hi) = (next(lo), next(hi));
            conditions.push(format!("{term} COLLATE \"binary\" >= {lo} AND {term} COLLATE \"binary\" < {hi}"));
            format!(
                "(SELECT MIN(lower(m.address) COLLATE \"binary\") FROM email_addresses m WHERE m.person_id = u.person_id \
                   AND lower(m.address) COLLATE \"binary\" >= {lo} AND lower(m.address) COLLATE \"binary\" < {hi})"
            )
        }
        None => "NULL".to_owned(),
    };
    if let Some(key) = after {
        let (t, p, u) = (next(&key.term), next(&key.person_id), next(&key.user_id));
        // The first comparison alone starts the index range; the rest skips what was shown.
        conditions.push(format!(
            "{term} COLLATE \"binary\" >= {t} AND ({term} COLLATE \"binary\" > {t} OR ({person} COLLATE \"binary\" > {p} \
             OR ({person} COLLATE \"binary\" = {p} AND u.id COLLATE \"binary\" > {u})))"
        ));
    }
    if let Some(status) = status {
        let status: &'static str = status.into();
        let s = next(status);
        conditions.push(format!("u.status = {s}"));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let sql = format!(
        "SELECT {term} AS term, {person} AS person_id, u.id AS user_id, u.lower_username AS l_username, \
           lower(p.first_name) AS l_first, lower(p.last_name) AS l_last, {email} AS l_email \
         FROM {from} {filter} \
         ORDER BY {term} COLLATE \"binary\", {person} COLLATE \"binary\", u.id COLLATE \"binary\" LIMIT {WINDOW}"
    );
    let sql = json_rows::wrap(
        conn,
        &sql,
        "term, person_id, user_id, l_username, l_first, l_last, l_email",
        "term COLLATE \"binary\", person_id COLLATE \"binary\", user_id COLLATE \"binary\"",
    );
    let mut query = sqlx::query_as(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    json_rows::fetch(conn, query).await
}

/// One row of the console's user list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserListRow {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub user_type: Option<String>,
    pub is_merchant_admin: bool,
    pub organization_id: Option<String>,
    pub company: Option<String>,
    pub status: UserStatus,
    /// A scheduled Disable (CON-3), epoch ms.
    pub disable_at: Option<i64>,
}

#[derive(serde::Deserialize)]
struct ListRow {
    id: String,
    username: String,
    first_name: String,
    last_name: String,
    email: Option<String>,
    user_type: Option<String>,
    is_merchant_admin: i64,
    organization_id: Option<String>,
    company: Option<String>,
    status: String,
    disable_at: Option<i64>,
}

/// The rows of `user_ids`, in that order (a page: at most a few dozen ids).
pub async fn list_rows(conn: &mut AnyConnection, user_ids: &[String]) -> Result<Vec<UserListRow>, StoreError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=user_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT u.id, u.username, p.first_name, p.last_name, \
           (SELECT e.address FROM email_addresses e WHERE e.person_id = p.id ORDER BY e.is_primary DESC, e.created_at LIMIT 1) AS email, \
           t.short_name AS user_type, u.is_merchant_admin, u.organization_id, o.name AS company, u.status, s.effective_at AS disable_at \
         FROM users u JOIN persons p ON p.id = u.person_id \
         LEFT JOIN user_types t ON t.id = u.user_type_id \
         LEFT JOIN organizations o ON o.id = u.organization_id \
         LEFT JOIN user_disable_schedules s ON s.user_id = u.id \
         WHERE u.id IN ({})",
        placeholders.join(", ")
    );
    let sql = json_rows::wrap(
        conn,
        &sql,
        "id, username, first_name, last_name, email, user_type, is_merchant_admin, organization_id, company, status, \
         disable_at",
        "id",
    );
    let mut query = sqlx::query_as(&sql);
    for id in user_ids {
        query = query.bind(id);
    }
    let mut rows: Vec<ListRow> = json_rows::fetch(conn, query).await?;
    rows.sort_by_key(|row| user_ids.iter().position(|id| *id == row.id));
    rows.into_iter()
        .map(|row| {
            Ok(UserListRow {
                status: parse_stored("user status", &row.status)?,
                id: row.id,
                username: row.username,
                first_name: row.first_name,
                last_name: row.last_name,
                email: row.email,
                user_type: row.user_type,
                is_merchant_admin: row.is_merchant_admin != 0,
                organization_id: row.organization_id,
                company: row.company,
                disable_at: row.disable_at,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(term: &str, username: &str, first: &str, last: &str, email: Option<&str>) -> Candidate {
        Candidate {
            term: term.into(),
            person_id: "p".into(),
            user_id: "u".into(),
            l_username: username.into(),
            l_first: first.into(),
            l_last: last.into(),
            l_email: email.map(str::to_owned),
        }
    }

    // covers: CON-3
    #[test]
    fn a_user_is_shown_at_its_smallest_matching_term_only() {
        let b = bounds("ann");
        let by_name = candidate("ann", "ann.lee", "ann", "lee", Some("ann.lee@example.com"));
        let by_username = candidate("ann.lee", "ann.lee", "ann", "lee", Some("ann.lee@example.com"));
        let by_email = candidate("ann.lee@example.com", "ann.lee", "ann", "lee", Some("ann.lee@example.com"));
        assert!(by_name.is_first_match(Some(&b)));
        assert!(!by_username.is_first_match(Some(&b)));
        assert!(!by_email.is_first_match(Some(&b)));
        // A term that does not match (the last name "lee") never counts as smaller.
        let other = candidate("annex@example.com", "zed", "bob", "aaron", Some("annex@example.com"));
        assert!(other.is_first_match(Some(&b)));
        assert!(by_email.is_first_match(None), "without a prefix every row is a first match");
    }

    // covers: CON-3
    #[test]
    fn a_prefix_is_a_byte_range_and_the_cursor_survives_any_term() {
        let (lo, hi) = bounds("a%_");
        let (lo, hi) = (lo.as_str(), hi.as_str());
        let in_range = |term: &str| term >= lo && term < hi;
        assert!(in_range("a%_b") && in_range("a%_") && in_range("a%_\u{10fffe}"));
        assert!(!in_range("a%b") && !in_range("axyb") && !in_range("a%"), "% and _ are literal");
        let key = SearchKey { term: "o'neil@x.com & co".into(), person_id: "p1".into(), user_id: "u1".into() };
        assert_eq!(SearchKey::decode(&key.encode()), Some(key));
        assert_eq!(SearchKey::decode("no separators"), None);
    }
}
