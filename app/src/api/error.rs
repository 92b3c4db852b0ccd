//! The one error type that crosses the wire (STYLE.md "Errors are typed").

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::domain::{ConflictCode, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Errors next to their fields (REG-14).
    #[error("Please correct the fields marked below.")]
    Validation { fields: Vec<FieldError> },
    /// A form-level message, with the reference code of the request (LOG-1).
    #[error("{message} (reference {reference})")]
    Form { message: String, reference: String },
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this page. (reference {reference})")]
    Forbidden { reference: String },
    /// PAR-1: the page asks for a complete customer record; `/register/confirm` completes it.
    #[error("Please complete your registration to continue.")]
    IncompleteRegistration,
    #[error("We could not find that page.")]
    NotFound,
    /// The state changed under the action (APR-9); the page matches on `code`, never on text.
    #[error("{} (reference {reference})", code.message())]
    Conflict { code: ConflictCode, reference: String },
    #[error("Too many attempts from your network. Please wait a minute and try again. (reference {reference})")]
    RateLimited { reference: String },
    /// SEC-1: every password hasher was busy for longer than a request should wait.
    #[error("The server is busy. Please try again in a moment. (reference {reference})")]
    Busy { reference: String },
    /// The database could not write: the server is out of storage space. Nothing was saved.
    #[error("We could not save this: the server is out of storage space. Nothing was changed; please try again later. (reference {reference})")]
    OutOfSpace { reference: String },
    #[error("Something went wrong on our side. Please try again. (reference {reference})")]
    Internal { reference: String },
    /// Transport problems (offline, server unreachable) seen by the browser.
    #[error("We could not reach the server. Please check your connection and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation { fields } => fields,
            _ => &[],
        }
    }

    pub fn conflict(&self) -> Option<ConflictCode> {
        match self {
            AppError::Conflict { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The form-level message, if this error is not only about fields.
    pub fn form_message(&self) -> Option<String> {
        match self {
            AppError::Validation { .. } => None,
            other => Some(other.to_string()),
        }
    }
}
