//! Reading a request's query, JSON body and cursors, with every refusal as a problem (API-5)
//! rather than axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use base64::Engine;
use serde::de::DeserializeOwned;

use app::api::ssr::RequestRef;

use super::problem::{reference_of, ApiError};

/// The query string read into `T`; a malformed one is a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(e) => Err(ApiError::bad_request(&reference_of(parts), "query", e.body_text())),
        }
    }
}

/// A JSON body read into `T`; an empty body is `T::default()` (every field optional), a body
/// that is not JSON or not of the expected shape is a 400 problem.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let reference = request.extensions().get::<RequestRef>().map(|r| r.0.clone()).unwrap_or_else(|| "-".into());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::bad_request(&reference, "body", e.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        serde_json::from_slice::<T>(&bytes)
            .map(Self)
            .map_err(|e| ApiError::bad_request(&reference, "body", format!("The body is not the expected JSON: {e}")))
    }
}

/// An opaque cursor (API-4): the key of the last item of a page, base64url-encoded.
pub fn encode_cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// The key inside a cursor; `None` for a cursor this API did not make.
pub fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let key = String::from_utf8(bytes).ok()?;
    (!key.is_empty() && key.len() <= 200 && key.chars().all(|c| !c.is_control())).then_some(key)
}

/// The `cursor` parameter's key, or a 400 problem naming the parameter.
pub fn cursor_key(cursor: Option<&str>, reference: &str) -> Result<Option<String>, ApiError> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => decode_cursor(c)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(reference, "cursor", "The cursor is not one this API gave out")),
    }
}

/// Epoch milliseconds as RFC 3339 (UTC).
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: API-4
    #[test]
    fn cursors_are_opaque_and_round_trip_and_foreign_ones_are_refused() {
        let cursor = encode_cursor("0190f3a0-aaaa");
        assert!(!cursor.contains("0190f3a0"), "opaque");
        assert_eq!(decode_cursor(&cursor).as_deref(), Some("0190f3a0-aaaa"));
        assert_eq!(decode_cursor("not base64!"), None);
        assert_eq!(decode_cursor(""), None);
        assert!(cursor_key(Some("%%%"), "R").is_err());
        assert_eq!(cursor_key(Some(" "), "R").unwrap(), None);
    }

    #[test]
    fn times_are_rfc_3339_in_utc() {
        assert_eq!(rfc3339(1_800_000_000_000), "2027-01-15T08:00:00Z");
    }
}
