//! Plain HTML form posts (REG-15: every form works with JavaScript disabled). They run the
//! same adapter as the server functions; a failure re-renders the page with the values
//! (never passwords) and the errors, and success redirects (post/redirect/get).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use tower_sessions::Session;

use app::api::ssr::RequestRef;
use app::api::types::{without_secrets, FormSubmission};
use app::api::AppError;
use app::backend::AppState;

use crate::startup::leptos_context;

const MAX_FORM_BYTES: usize = 64 * 1024;

struct Posted {
    parts: axum::http::request::Parts,
    fields: HashMap<String, String>,
    /// Every pair as posted, for multi-valued fields (a multiple select).
    pairs: Vec<(String, String)>,
    state: AppState,
    session: Session,
    reference: String,
}

async fn read_form(request: Request) -> Result<Posted, Response> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form was too large.").into_response())?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| (StatusCode::BAD_REQUEST, "The form could not be read.").into_response())?;
    let fields: HashMap<String, String> = pairs.iter().cloned().collect();
    let state = parts.extensions.get::<AppState>().cloned().ok_or_else(internal)?;
    let session = parts.extensions.get::<Session>().cloned().ok_or_else(internal)?;
    let reference = parts.extensions.get::<RequestRef>().map(|r| r.0.clone()).unwrap_or_default();
    Ok(Posted { parts, fields, pairs, state, session, reference })
}

fn internal() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn ref_param(parts: &axum::http::request::Parts) -> Option<String> {
    let query = parts.uri.query()?;
    let params: HashMap<String, String> = serde_urlencoded::from_str(query).ok()?;
    params.get("ref").cloned()
}

/// Renders the page at the posted URL again, as a GET, with the failed submission in context.
async fn render_failure(posted: Posted, error: AppError) -> Response {
    let status = match &error {
        AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        // Sign-in refusals (LOG-1, LOG-2) are the only form-level messages.
        AppError::Form { .. } => StatusCode::UNAUTHORIZED,
        AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let submission = FormSubmission {
        values: without_secrets(posted.fields),
        errors: error.field_errors().to_vec(),
        form_error: error.form_message(),
        conflict: error.conflict(),
    };
    let Some(options) = posted.parts.extensions.get::<LeptosOptions>().cloned() else { return internal() };
    let base_context = leptos_context(posted.state.clone());
    let context = move || {
        base_context();
        provide_context(submission.clone());
    };
    let render = leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    let mut parts = posted.parts;
    parts.method = Method::GET;
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

pub async fn register(Path(type_key): Path<String>, request: Request) -> Response {
    let posted = match read_form(request).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let ref_ = ref_param(&posted.parts);
    let outcome = app::api::register::submit::handle(
        &posted.state,
        &posted.session,
        posted.reference.clone(),
        &type_key,
        &posted.fields,
        ref_.as_deref(),
    )
    .await;
    match outcome {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(error) => render_failure(posted, error).await,
    }
}

pub async fn login(request: Request) -> Response {
    let posted = match read_form(request).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let ref_ = ref_param(&posted.parts);
    let field = |name: &str| posted.fields.get(name).cloned().unwrap_or_default();
    let (username, password) = (field("username"), field("password"));
    let outcome = app::api::auth::sign_in::handle(
        &posted.state,
        &posted.session,
        posted.reference.clone(),
        &username,
        &password,
        ref_.as_deref(),
        &app::api::auth::sign_in::cookie_header(&posted.parts.headers),
    )
    .await;
    match outcome {
        Ok(answer) => {
            let mut response = Redirect::to(&answer.next).into_response();
            if let Ok(cookie) = axum::http::HeaderValue::from_str(&answer.device_cookie) {
                response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => render_failure(posted, error).await,
    }
}

/// LOG-5: signing out ends the session on the server.
pub async fn logout(session: Session) -> Response {
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "could not end the session");
        return internal();
    }
    Redirect::to("/").into_response()
}

pub async fn change_password(request: Request) -> Response {
    let posted = match read_form(request).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let field = |name: &str| posted.fields.get(name).cloned().unwrap_or_default();
    let outcome = app::api::auth::change_password::handle(
        &posted.state,
        &posted.session,
        posted.reference.clone(),
        &field("current_password"),
        &field("new_password"),
        &field("new_password_confirm"),
    )
    .await;
    match outcome {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(AppError::Unauthenticated) => Redirect::to("/login?ref=%2Fpassword%2Fchange").into_response(),
        Err(error) => render_failure(posted, error).await,
    }
}

/// APR-5 / APR-6 without JavaScript: `/admin/approvals/{id}/approve|reject` and the same under
/// `/console/approvals` (APR-8).
pub async fn approve(Path(id): Path<String>, request: Request) -> Response {
    decide(id, "approve", request).await
}

pub async fn reject(Path(id): Path<String>, request: Request) -> Response {
    decide(id, "reject", request).await
}

async fn decide(id: String, decision: &str, request: Request) -> Response {
    use app::api::approvals::decide::{handle_approve, handle_reject};
    use app::api::approvals::Scope;
    let scope = if request.uri().path().starts_with("/console/") { Scope::Merchant } else { Scope::Company };
    let posted = match read_form(request).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let Some(user_id) = app::api::ssr::session_user_id(&posted.session, &posted.state).await else {
        return Redirect::to(&format!("/login?ref={}", scope.base())).into_response();
    };
    let comments = posted.fields.get("comments").cloned().unwrap_or_default();
    let outcome = match decision {
        "approve" => {
            let accounts: Vec<String> =
                posted.pairs.iter().filter(|(k, _)| k == "accounts").map(|(_, v)| v.clone()).collect();
            handle_approve(&posted.state, &user_id, posted.reference.clone(), scope, &id, &comments, &accounts).await
        }
        "reject" => handle_reject(&posted.state, &user_id, posted.reference.clone(), scope, &id, &comments).await,
        _ => Err(AppError::NotFound),
    };
    match outcome {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(error) => render_failure(posted, error).await,
    }
}
