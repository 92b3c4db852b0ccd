//! Errors of the store (constraint violations translated once, realworld-axum-sqlx's
//! `on_constraint`) and of the use cases.

use crate::domain::{ConflictCode, FieldError};

/// The unique constraints a use case reacts to, by what they protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// REG-8: one non-released user per lower-cased username.
    Username,
    /// REG-6: Registry IDs are unique.
    RegistryId,
    /// Account numbers are unique.
    AccountNumber,
    /// PRO-2, PRO-5: one preferred address per usage and owner (a racing "Make preferred").
    PreferredAddress,
    /// PRO-2: one primary phone per owner.
    PrimaryPhone,
    /// ADM-7: a company's custom role names are unique within it, case-insensitively.
    RoleName,
    /// CON-1: user type keys are unique (they are part of `/register/{key}`).
    UserTypeKey,
    /// CON-4: an integration user's Client ID is unique.
    ClientId,
    /// Any other unique constraint (a bug or a race the caller did not expect).
    Other,
}

impl Unique {
    /// The only place that reads constraint names (PostgreSQL) or messages (SQLite).
    fn of(constraint: Option<&str>, message: &str) -> Self {
        let names = |pg: &str, sqlite: &str| constraint == Some(pg) || message.contains(sqlite);
        if names("users_username_reserved", "users.lower_username") {
            Self::Username
        } else if names("organizations_registry_id_key", "organizations.registry_id") {
            Self::RegistryId
        } else if names("accounts_account_number_key", "accounts.account_number") {
            Self::AccountNumber
        } else if names("address_usages_one_preferred", "address_usages.owner_id") {
            Self::PreferredAddress
        } else if names("phones_one_primary_of_person", "phones.person_id")
            || names("phones_one_primary_of_organization", "phones.organization_id")
        {
            Self::PrimaryPhone
        } else if names("roles_custom_name", "roles_custom_name") {
            Self::RoleName
        } else if names("user_types_key_key", "user_types.key") {
            Self::UserTypeKey
        } else if names("integration_users_client_id_key", "integration_users.client_id") {
            Self::ClientId
        } else {
            Self::Other
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0:?}")]
    Duplicate(Unique),
    #[error("record not found")]
    NotFound,
    /// A stored value the domain does not know (a status or kind written by a newer version).
    #[error("unexpected stored value: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                return Self::Duplicate(Unique::of(db.constraint(), db.message()));
            }
        }
        match err {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Database(other),
        }
    }
}

impl StoreError {
    /// The database cannot be reached or will not take work for a moment (a restart, a lost
    /// connection, every connection in use, SQLite's lock held too long): a 503 and "try again",
    /// not a 500 (issue 11's restart under load). Nothing was written.
    pub fn is_unavailable(&self) -> bool {
        let Self::Database(err) = self else { return false };
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shutting down,
                // starting up), 53300 (too many connections).
                let postgres = code.starts_with("08") || code.starts_with("57P") || code == "53300";
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
                let sqlite = code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
                postgres || sqlite
            }
            _ => false,
        }
    }

    /// The database has no room to write: SQLite's `SQLITE_FULL` (the disk, or a page limit),
    /// PostgreSQL's class 53100 (disk full). The statement was rolled back, so nothing was
    /// written; unlike a lost connection it lasts until an operator frees space.
    pub fn is_out_of_space(&self) -> bool {
        let Self::Database(sqlx::Error::Database(db)) = self else { return false };
        let code = db.code().unwrap_or_default();
        code == "53100" || code.parse::<i32>().is_ok_and(|c| c & 0xff == SQLITE_FULL)
    }

    /// For row conversions: a stored string that does not parse into its domain enum.
    pub fn corrupt(what: &str, value: &str) -> Self {
        Self::Corrupt(format!("{what} {value:?}"))
    }
}

/// SQLite's primary result code for "database or disk is full".
const SQLITE_FULL: i32 = 13;

/// Parses a stored string into its vocabulary enum (`domain::vocabulary`), once, in the store.
pub fn parse_stored<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| StoreError::corrupt(what, value))
}

/// What a use case can answer besides success. The `api` adapters map these to `AppError`.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("sign-in failed")]
    SignInFailed,
    #[error("awaiting approval")]
    AwaitingApproval,
    #[error("access not active")]
    AccessNotActive,
    #[error("locked")]
    Locked,
    /// OAA-1, OAA-3: the online-access answers, in the SPEC's words.
    #[error("online access refused: {0:?}")]
    OnlineAccess(crate::domain::OnlineAccessRefusal),
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// PAR-1: a secure page or action for a user whose customer record is incomplete.
    #[error("registration incomplete")]
    IncompleteRegistration,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0:?}")]
    Conflict(ConflictCode),
    /// SEC-1: the password hashers are all busy for longer than a request should wait.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Store(StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(err: sqlx::Error) -> Self {
        StoreError::from(err).into()
    }
}

impl ServiceError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    // covers: OPS-3
    #[test]
    fn a_lost_or_saturated_database_is_unavailable_and_other_failures_are_not() {
        let unavailable = |err: sqlx::Error| StoreError::from(err).is_unavailable();
        assert!(unavailable(sqlx::Error::PoolTimedOut));
        assert!(unavailable(sqlx::Error::PoolClosed));
        assert!(unavailable(sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))));
        assert!(!unavailable(sqlx::Error::Protocol("garbled".into())));
        assert!(!unavailable(sqlx::Error::ColumnNotFound("x".into())));
        assert!(!StoreError::NotFound.is_unavailable());
    }
}
