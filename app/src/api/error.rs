//! The one error type that crosses the wire (STYLE.md "Errors are typed").

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

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
    #[error("We could not find that page.")]
    NotFound,
    #[error("Too many attempts from your network. Please wait a minute and try again. (reference {reference})")]
    RateLimited { reference: String },
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

    /// The form-level message, if this error is not only about fields.
    pub fn form_message(&self) -> Option<String> {
        match self {
            AppError::Validation { .. } => None,
            other => Some(other.to_string()),
        }
    }
}
