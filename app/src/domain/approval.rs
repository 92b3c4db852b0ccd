//! The Approve and Reject forms (APR-5, APR-6): comments for the next approver or the requester,
//! and on approval the company accounts to assign.

use serde::de::Deserializer;
use serde::Deserialize;

use super::field::FieldError;

pub const MAX_COMMENT: usize = 2000;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub comments: String,
    /// Account ids; several checkboxes of one name post several values.
    #[serde(deserialize_with = "one_or_many")]
    pub accounts: Vec<String>,
}

/// A validated decision: the comment (none when blank) and the accounts chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub comment: Option<String>,
    pub accounts: Vec<String>,
}

impl DecisionForm {
    pub fn validate(&self) -> Result<DecisionInput, Vec<FieldError>> {
        let comment = self.comments.trim();
        if comment.chars().count() > MAX_COMMENT {
            return Err(vec![FieldError::new(
                "comments",
                format!("Comments must be at most {MAX_COMMENT} characters"),
            )]);
        }
        let mut accounts: Vec<String> =
            self.accounts.iter().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect();
        accounts.dedup();
        Ok(DecisionInput { comment: (!comment.is_empty()).then(|| comment.to_owned()), accounts })
    }
}

/// A form post sends one value as a string and several as a sequence; JSON sends an array.
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(value) => vec![value],
        OneOrMany::Many(values) => values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: APR-5, APR-6
    #[test]
    fn one_several_or_no_accounts_read_the_same_from_a_post_and_from_json() {
        let read = |body: &str| serde_html_form::from_str::<DecisionForm>(body).unwrap();
        assert_eq!(read("comments=ok&accounts=a1").accounts, ["a1"]);
        assert_eq!(read("comments=ok&accounts=a1&accounts=a2").accounts, ["a1", "a2"]);
        assert!(read("comments=ok").accounts.is_empty());
        let json: DecisionForm = serde_json::from_str(r#"{"comments":"","accounts":["a1"]}"#).unwrap();
        assert_eq!(json.accounts, ["a1"]);
    }

    // covers: APR-2, APR-6
    #[test]
    fn comments_are_trimmed_optional_and_capped() {
        let form = DecisionForm { comments: "  fine  ".into(), accounts: vec![] };
        assert_eq!(form.validate().unwrap().comment.as_deref(), Some("fine"));
        assert_eq!(DecisionForm::default().validate().unwrap().comment, None);
        let long = DecisionForm { comments: "x".repeat(MAX_COMMENT + 1), accounts: vec![] };
        assert_eq!(long.validate().unwrap_err()[0].field, "comments");
    }
}
