//! SEC-4 failure counters, per lower-cased username (whether or not it exists, so locks reveal
//! nothing) and per trusted browser. Each attempt is counted *before* its password is verified,
//! by one statement that also refuses it when locked or too early: parallel attempts cannot all
//! slip past a check made before any of them is recorded.

use sqlx::AnyConnection;

use crate::backend::error::StoreError;

/// Which counter an attempt is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Keyed by the lower-cased username typed.
    Username,
    /// Keyed by the nonce of a genuine device cookie (SEC-4 targeted lockout).
    Device,
    /// Keyed by the account number an online-access proof names (OAA-1, OAA-2).
    AccountNumber,
}

impl Counter {
    fn table(self) -> &'static str {
        match self {
            Self::Username => "sign_in_failures",
            Self::Device => "device_sign_in_failures",
            Self::AccountNumber => "online_access_failures",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Username => "lower_username",
            Self::Device => "device_nonce",
            Self::AccountNumber => "account_number",
        }
    }
}

/// When attempts slow down and when they lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From this many counted attempts on, each must wait 1 s, 2 s, 4 s … (at most 64 s)
    /// after the previous one.
    pub delay_after: i64,
    /// This many counted attempts lock the counter for `lock_ms`.
    pub lock_after: i64,
    pub lock_ms: i64,
}

/// Doublings of the delay before it stops growing (1 s … 64 s).
const MAX_DOUBLINGS: i64 = 6;
/// How many expired counters one write deletes at most (keeps each write cheap).
const EXPIRED_PER_WRITE: i64 = 100;

/// The wait in milliseconds after `failures` counted attempts: none below `delay_after`, then
/// 1 s doubling per attempt up to 64 s.
pub fn required_wait_ms(failures: i64, delay_after: i64) -> i64 {
    if failures < delay_after {
        return 0;
    }
    1_000 << (failures - delay_after).min(MAX_DOUBLINGS)
}

/// [`required_wait_ms`] as SQL over the column `failures` and the parameter `delay_after`.
fn required_wait_sql(failures: &str, delay_after: &str) -> String {
    let mut sql = format!("CASE WHEN {failures} < {delay_after} THEN 0");
    for step in 0..MAX_DOUBLINGS {
        sql.push_str(&format!(" WHEN {failures} - {delay_after} = {step} THEN {}", 1_000_i64 << step));
    }
    sql.push_str(&format!(" ELSE {} END", 1_000_i64 << MAX_DOUBLINGS));
    sql
}

/// Counts one attempt for `key` and answers whether it may go on to be verified: false when
/// the counter is locked or the delay since its last attempt has not passed (then nothing is
/// counted). A counter whose lock has ended, or that has been quiet for a whole lock period,
/// starts again at one. Reaching `lock_after` locks until `now + lock_ms`.
pub async fn count_attempt(
    conn: &mut AnyConnection,
    counter: Counter,
    key: &str,
    now_ms: i64,
    limits: Limits,
) -> Result<bool, StoreError> {
    let (t, k) = (counter.table(), counter.key());
    let expired = format!(
        "(({t}.locked_until IS NOT NULL AND {t}.locked_until <= $2) \
          OR ({t}.locked_until IS NULL AND {t}.last_failure_at <= $2 - $5))"
    );
    let wait = required_wait_sql(&format!("{t}.failures"), "$3");
    let sql = format!(
        "INSERT INTO {t} ({k}, failures, last_failure_at, locked_until) \
         VALUES ($1, 1, $2, CASE WHEN $4 <= 1 THEN $2 + $5 ELSE NULL END) \
         ON CONFLICT ({k}) DO UPDATE SET \
           failures = CASE WHEN {expired} THEN 1 ELSE {t}.failures + 1 END, \
           locked_until = CASE WHEN {expired} THEN (CASE WHEN $4 <= 1 THEN $2 + $5 ELSE NULL END) \
                               WHEN {t}.failures + 1 >= $4 THEN $2 + $5 \
                               ELSE NULL END, \
           last_failure_at = $2 \
         WHERE {expired} OR ({t}.locked_until IS NULL AND $2 - {t}.last_failure_at >= {wait}) \
         RETURNING failures"
    );
    let counted: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(key)
        .bind(now_ms)
        .bind(limits.delay_after)
        .bind(limits.lock_after)
        .bind(limits.lock_ms)
        .fetch_optional(&mut *conn)
        .await?;
    delete_expired(conn, counter, now_ms, limits.lock_ms, EXPIRED_PER_WRITE).await?;
    Ok(counted.is_some())
}

/// Forgets the counted attempts of `key` (its password was right).
pub async fn clear(conn: &mut AnyConnection, counter: Counter, key: &str) -> Result<(), StoreError> {
    let sql = format!("DELETE FROM {} WHERE {} = $1", counter.table(), counter.key());
    sqlx::query(&sql).bind(key).execute(&mut *conn).await?;
    Ok(())
}

/// Deletes at most `limit` counters that no longer matter: no live lock and no attempt within
/// the last `lock_ms` (the next attempt would start them again at one anyway). Called on every
/// counted write; a job may call it too. Answers how many were deleted.
pub async fn delete_expired(
    conn: &mut AnyConnection,
    counter: Counter,
    now_ms: i64,
    lock_ms: i64,
    limit: i64,
) -> Result<u64, StoreError> {
    let (t, k) = (counter.table(), counter.key());
    let sql = format!(
        "DELETE FROM {t} WHERE {k} IN (SELECT {k} FROM {t} \
           WHERE last_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2) \
           ORDER BY last_failure_at LIMIT $3)"
    );
    let done = sqlx::query(&sql).bind(now_ms - lock_ms).bind(now_ms).bind(limit).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::required_wait_ms;

    // covers: SEC-4
    #[test]
    fn waits_grow_after_the_threshold_and_are_capped() {
        assert_eq!(required_wait_ms(4, 5), 0);
        assert_eq!(required_wait_ms(5, 5), 1_000);
        assert_eq!(required_wait_ms(6, 5), 2_000);
        assert_eq!(required_wait_ms(10, 5), 32_000);
        assert_eq!(required_wait_ms(19, 5), 64_000);
    }
}
