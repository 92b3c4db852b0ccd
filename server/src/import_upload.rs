//! CON-7 (OAA-6): the customer import's upload — a plain multipart post of `/console/import`
//! (a file and the button pressed), so it works without JavaScript. It runs the import as the
//! signed-in merchant admin and renders the page with the preview or the result. Only this route
//! accepts large bodies; every other keeps axum's default limit.

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{post, MethodRouter};
use leptos::prelude::LeptosOptions;

use app::api::console::customer_import::ssr::run_import;
use app::api::console::customer_import::{ImportAction, ImportOutcome};
use app::api::console::ssr::merchant_admin;
use app::api::AppError;
use app::backend::AppState;
use app::domain::with_ref;

use crate::forms::{render_failure, render_with, run_in_context};

/// Large enough for a few hundred thousand rows.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

pub fn route() -> MethodRouter<LeptosOptions> {
    post(upload).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

async fn upload(request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let Some(state) = parts.extensions.get::<AppState>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // SEC-5 before the body is read: nobody else gets to send 50 MB.
    let (allowed, _) = run_in_context(&mut parts, state.clone(), async { merchant_admin().await.map(|_| ()) }).await;
    if let Err(error) = allowed {
        return refused(parts, error).await;
    }
    let (file, action) = match read_upload(Request::from_parts(parts.clone(), body)).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    let (outcome, set_headers) =
        run_in_context(&mut parts, state, async move { run_import(&file, action).await }).await;
    let mut response = match outcome {
        Ok(report) => render_with(parts, ImportOutcome(report)).await,
        Err(error) => refused(parts, error).await,
    };
    response.headers_mut().extend(set_headers);
    response
}

/// Not signed in: to the sign-in page and back; otherwise the page with the refusal.
async fn refused(parts: axum::http::request::Parts, error: AppError) -> Response {
    match error {
        AppError::Unauthenticated => {
            let page = parts.uri.path().to_owned();
            Redirect::to(&with_ref("/login", Some(&page))).into_response()
        }
        error => render_failure(parts, Vec::new(), error).await,
    }
}

/// The `file` part and the `action` button (`preview` unless it says `commit`).
async fn read_upload(request: Request) -> Result<(Vec<u8>, ImportAction), Response> {
    let unreadable = |status: StatusCode| (status, "The upload could not be read.").into_response();
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|e| e.into_response())?;
    let (mut file, mut action) = (None, ImportAction::Preview);
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(e.status()))? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(|e| unreadable(e.status()))?.to_vec()),
            Some("action") => {
                let pressed = field.text().await.map_err(|e| unreadable(e.status()))?;
                action = if pressed == "commit" { ImportAction::Commit } else { ImportAction::Preview };
            }
            _ => {}
        }
    }
    let file = file.ok_or_else(|| (StatusCode::BAD_REQUEST, "Choose a CSV file to upload.").into_response())?;
    Ok((file, action))
}
