//! Errors of the store (constraint violations translated once) and of the use cases.

use crate::domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("username already reserved")]
    UsernameTaken,
    #[error("registry ID already used")]
    RegistryIdTaken,
    #[error("record not found")]
    NotFound,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Translates a unique violation into the domain conflict it stands for; the only place
    /// that looks at constraint names (PostgreSQL) or messages (SQLite).
    pub fn from_sqlx(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                let name = db.constraint().unwrap_or_default();
                let message = db.message();
                if name == "users_username_reserved" || message.contains("users.lower_username") {
                    return Self::UsernameTaken;
                }
                if name == "organizations_registry_id_key" || message.contains("organizations.registry_id") {
                    return Self::RegistryIdTaken;
                }
            }
        }
        if matches!(err, sqlx::Error::RowNotFound) {
            return Self::NotFound;
        }
        Self::Database(err)
    }
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
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
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
        StoreError::from_sqlx(err).into()
    }
}

impl ServiceError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}
