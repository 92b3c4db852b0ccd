//! Issue 11 (hostile input): a NUL character has no place in any path, query or form field of
//! this site, and PostgreSQL refuses to store or even compare a text holding one (an error, not
//! a mismatch), so such a request is answered 400 here, before it reaches a handler. Found by
//! the hostile-input test: `/profile/emails/%00/remove` was a 500 on PostgreSQL.
//!
//! Form bodies (urlencoded, as every form and server function posts them) are read up to the
//! forms' own limit; a larger one goes on untouched and gets that route's 413. JSON bodies (the
//! integration API, §13) are read up to axum's own 2 MB limit for them, and a string escaping a
//! NUL (`\u0000`) is refused the same way. The customer import (multipart) checks its own file.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest form body inspected (the plain form posts accept 64 KiB).
const MAX_INSPECTED: usize = 64 * 1024;

/// The largest JSON body: axum's default limit for its `Json` extractor, which the API keeps.
const MAX_JSON: usize = 2 * 1024 * 1024;

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

/// A JSON text holding a NUL: raw (invalid JSON anyway) or escaped as `\u0000` — an escape only
/// when an odd number of backslashes stands before the `u` (`\\u0000` is a backslash and text).
fn json_has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(5).enumerate().any(|(at, w)| {
            w.eq_ignore_ascii_case(b"u0000") && bytes[..at].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1
        })
}

fn refused() -> Response {
    (StatusCode::BAD_REQUEST, "This request holds a character that is not allowed (NUL).").into_response()
}

pub async fn refuse(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if has_nul(uri.path().as_bytes()) || uri.query().is_some_and(|q| has_nul(q.as_bytes())) {
        return refused();
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if content_type.starts_with("application/json") {
        return inspect_body(request, next, MAX_JSON, "This request is too large.", json_has_nul).await;
    }
    let small = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n <= MAX_INSPECTED);
    if !(is_form && small) {
        return next.run(request).await;
    }
    inspect_body(request, next, MAX_INSPECTED, "This form is too large.", has_nul).await
}

/// Reads the body (at most `limit` bytes, else 413 `too_large`), refuses it when `holds_nul`,
/// and passes it on otherwise.
async fn inspect_body(
    request: Request,
    next: Next,
    limit: usize,
    too_large: &'static str,
    holds_nul: fn(&[u8]) -> bool,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, too_large).into_response();
    };
    if holds_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::{has_nul, json_has_nul};

    #[test]
    fn a_nul_escaped_in_json_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(json_has_nul(br#"{"name":"Ann\u0000Lee"}"#));
        assert!(json_has_nul(br#"{"name":"\U0000"}"#));
        assert!(json_has_nul(br#"{"name":"\\\u0000"}"#)); // a backslash, then an escaped NUL
        assert!(json_has_nul(b"{\"name\":\"a\0b\"}"));
        assert!(!json_has_nul(br#"{"name":"\\u0000"}"#)); // a backslash, then the text u0000
        assert!(!json_has_nul(br#"{"id":"0190a3b4-0000-7000-8000-000000000000","n":10000}"#));
    }

    #[test]
    fn raw_and_percent_encoded_nul_characters_are_found() {
        assert!(has_nul(b"/profile/emails/%00/remove"));
        assert!(has_nul(b"a=b\0c"));
        assert!(has_nul(b"email=a%00b"));
        assert!(!has_nul(b"a=100&b=%2000")); // "%20" then "00": a space and two zeros
        assert!(!has_nul(b"/admin/contacts/0190a3b4-0000-7000-8000-000000000000"));
    }
}
