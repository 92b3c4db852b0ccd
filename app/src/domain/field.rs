//! Validation errors keyed by HTML form field name, so each is shown next to its input (REG-14).

/// One problem with one form field; `field` is the input's `name` attribute.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

/// All problems of one submitted form, in form order; a form reports every field at once.
pub type FieldErrors = Vec<FieldError>;

/// The first message for `field`, for rendering beside that input.
pub fn message_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

#[cfg(test)]
mod tests {
    // covers: REG-14
    use super::*;

    #[test]
    fn message_for_finds_the_first_message_of_a_field() {
        let errors: FieldErrors = vec![
            FieldError::new("email", "Enter an e-mail address"),
            FieldError::new("username", "Enter a username"),
            FieldError::new("email", "second"),
        ];
        assert_eq!(message_for(&errors, "email"), Some("Enter an e-mail address"));
        assert_eq!(message_for(&errors, "username"), Some("Enter a username"));
        assert_eq!(message_for(&errors, "phone"), None);
    }

    #[test]
    fn field_errors_round_trip_through_serde() {
        let error = FieldError::new("email", String::from("Enter an e-mail address"));
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(json, r#"{"field":"email","message":"Enter an e-mail address"}"#);
        assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), error);
    }
}
