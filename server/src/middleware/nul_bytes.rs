//! Issue 11 (hostile input): a NUL character has no place in any path, query or form field of
//! this site, and PostgreSQL refuses to store or even compare a text holding one (an error, not
//! a mismatch), so such a request is answered 400 here, before it reaches a handler. Found by
//! the hostile-input test: `/profile/emails/%00/remove` was a 500 on PostgreSQL.
//!
//! Form bodies (urlencoded, as every form and server function posts them) are read up to the
//! forms' own limit; a larger one goes on untouched and gets that route's 413. The customer
//! import (multipart) checks its own file; the JSON API answers its own problems.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest form body inspected (the plain form posts accept 64 KiB).
const MAX_INSPECTED: usize = 64 * 1024;

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

fn refused() -> Response {
    (StatusCode::BAD_REQUEST, "This request holds a character that is not allowed (NUL).").into_response()
}

pub async fn refuse(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if has_nul(uri.path().as_bytes()) || uri.query().is_some_and(|q| has_nul(q.as_bytes())) {
        return refused();
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let small = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n <= MAX_INSPECTED);
    if !(is_form && small) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_INSPECTED).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "This form is too large.").into_response();
    };
    if has_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn raw_and_percent_encoded_nul_characters_are_found() {
        assert!(has_nul(b"/profile/emails/%00/remove"));
        assert!(has_nul(b"a=b\0c"));
        assert!(has_nul(b"email=a%00b"));
        assert!(!has_nul(b"a=100&b=%2000")); // "%20" then "00": a space and two zeros
        assert!(!has_nul(b"/admin/contacts/0190a3b4-0000-7000-8000-000000000000"));
    }
}
