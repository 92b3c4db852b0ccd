//! A short reference code per request (LOG-1): in the log lines of the request, in the
//! `x-request-id` header, and on every error shown to the user.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;

use app::api::ssr::RequestRef;

/// Eight characters of an alphabet with no look-alikes: easy to read out over the phone.
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

pub async fn assign(mut request: Request, next: Next) -> Response {
    let reference = new_reference();
    request.extensions_mut().insert(RequestRef(reference.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&reference) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
