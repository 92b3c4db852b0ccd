//! Plain HTML form posts (REG-15: every form works with JavaScript disabled), through one
//! generic handler: the posted fields (with the route's path parameters and the `ref` query
//! parameter) are read into the page's server function's arguments — its domain form — and the
//! very same server function runs. Success redirects (post/redirect/get); a failure renders the
//! page again with the values (never passwords) and the errors next to their fields.
//!
//! Adding a form is: the domain form, the server function, the page, and one route line:
//! `.route("/login", form_post::<SignIn>(&[]))`.

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::{header, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{post, MethodRouter};
use axum::Extension;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_axum::ResponseOptions;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

use app::api::ssr::RequestRef;
use app::api::types::{without_secrets, FormSubmission, SecretAnswer, ShownSecret};
use app::api::AppError;
use app::backend::authz::CallerCache;
use app::backend::AppState;
use app::domain::with_ref;

use crate::context::leptos_context;

const MAX_FORM_BYTES: usize = 64 * 1024;

/// A server function a page's plain form can post to: it answers where to go next (or, for a
/// secret shown once, what to show).
pub trait PostedForm: ServerFn<Error = AppError> + DeserializeOwned + 'static
where
    Self::Output: FormAnswer,
{
}

impl<S> PostedForm for S
where
    S: ServerFn<Error = AppError> + DeserializeOwned + 'static,
    S::Output: FormAnswer,
{
}

/// What a successful plain post does next.
pub enum Next {
    /// Post/redirect/get.
    Redirect(String),
    /// CON-3 (a generated password): the page at the posted URL, rendered with the secret
    /// shown once — no redirect, so the secret is in no URL, session or stored row.
    Reveal(String),
}

/// The answer of a server function, as a plain post uses it.
pub trait FormAnswer {
    fn next(self) -> Next;
}

impl FormAnswer for String {
    fn next(self) -> Next {
        Next::Redirect(self)
    }
}

impl FormAnswer for SecretAnswer {
    fn next(self) -> Next {
        match self.secret {
            Some(secret) => Next::Reveal(secret),
            None => Next::Redirect(self.next),
        }
    }
}

/// The POST route of a page whose form runs the server function `S`. `fixed` adds arguments
/// that the route itself decides (e.g. which approvals queue), never taken from the post.
pub fn form_post<S: PostedForm>(fixed: &'static [(&'static str, &'static str)]) -> MethodRouter<LeptosOptions>
where
    S::Output: FormAnswer,
{
    post(move |request: Request| submit::<S>(request, fixed))
}

/// The posted pairs as the server function's arguments: the form's own fields, then `ref` from
/// the query, the path parameters and the fixed arguments — the later ones win, so a posted
/// field can never stand in for a path parameter or a fixed argument.
fn arguments(
    posted: &[(String, String)],
    query: Option<&str>,
    path: &[(String, String)],
    fixed: &[(&str, &str)],
) -> Vec<(String, String)> {
    let ref_ = query
        .and_then(|q| serde_html_form::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "ref"));
    let overrides: Vec<(String, String)> = ref_
        .into_iter()
        .chain(path.iter().cloned())
        .chain(fixed.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
        .collect();
    posted
        .iter()
        .filter(|(key, _)| !overrides.iter().any(|(k, _)| k == key))
        .cloned()
        .chain(overrides.iter().cloned())
        .collect()
}

async fn submit<S: PostedForm>(request: Request, fixed: &'static [(&'static str, &'static str)]) -> Response
where
    S::Output: FormAnswer,
{
    let (mut parts, body) = request.into_parts();
    let path: Vec<(String, String)> = match RawPathParams::from_request_parts(&mut parts, &()).await {
        Ok(params) => params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
        Err(_) => Vec::new(),
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The form was too large.").into_response();
    };
    let Ok(posted) = serde_html_form::from_bytes::<Vec<(String, String)>>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "The form could not be read.").into_response();
    };
    let encoded = serde_html_form::to_string(arguments(&posted, parts.uri.query(), &path, fixed)).unwrap_or_default();
    let Ok(arguments) = serde_html_form::from_str::<S>(&encoded) else {
        return (StatusCode::BAD_REQUEST, "The form could not be read.").into_response();
    };
    let Some(state) = parts.extensions.get::<AppState>().cloned() else { return internal() };
    let (outcome, set_headers) = run_in_context(&mut parts, state, arguments.run_body()).await;
    let mut response = match outcome.map(FormAnswer::next) {
        Ok(Next::Redirect(next)) => Redirect::to(&next).into_response(),
        Ok(Next::Reveal(secret)) => render_revealed(parts, secret).await,
        Err(AppError::Unauthenticated) => {
            let page = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
            Redirect::to(&with_ref("/login", Some(&page))).into_response()
        }
        Err(error) => render_failure(parts, posted, error).await,
    };
    response.headers_mut().extend(set_headers);
    response
}

/// Runs a server function's body (or any code that reaches the session and the caller through
/// Leptos' context) for a request handled outside Leptos' own routes; answers its result and the
/// headers it set (e.g. a cycled session cookie).
pub async fn run_in_context<T>(
    parts: &mut axum::http::request::Parts,
    state: AppState,
    body: impl std::future::Future<Output = T> + Send + 'static,
) -> (T, axum::http::HeaderMap) {
    if parts.extensions.get::<CallerCache>().is_none() {
        parts.extensions.insert(CallerCache::default());
    }
    let response_options = ResponseOptions::default();
    let owner = Owner::new();
    let outcome = {
        let (parts, response_options, context) = (parts.clone(), response_options.clone(), leptos_context(state));
        owner
            .with(|| {
                ScopedFuture::new(async move {
                    provide_context(parts);
                    provide_context(response_options);
                    context();
                    body.await
                })
            })
            .await
    };
    let set_headers = response_options.0.read().map(|p| p.headers.clone()).unwrap_or_default();
    (outcome, set_headers)
}

fn internal() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// Renders the page at the posted URL again, as a GET, with the failed submission in context.
pub async fn render_failure(
    mut parts: axum::http::request::Parts,
    posted: Vec<(String, String)>,
    error: AppError,
) -> Response {
    let (Some(state), Some(options)) =
        (parts.extensions.get::<AppState>().cloned(), parts.extensions.get::<LeptosOptions>().cloned())
    else {
        return internal();
    };
    let mut lists: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (name, value) in &posted {
        if !app::api::types::SECRET_FIELDS.contains(&name.as_str()) {
            lists.entry(name.clone()).or_default().push(value.clone());
        }
    }
    let submission = FormSubmission {
        lists,
        values: without_secrets(posted.into_iter().collect()),
        errors: error.field_errors().to_vec(),
        form_error: error.form_message(),
        conflict: error.conflict(),
    };
    let status = error.status();
    let base_context = leptos_context(state);
    let context = move || {
        base_context();
        provide_context(submission.clone());
    };
    let render = leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    parts.method = Method::GET;
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

/// Renders the page at the posted URL, as a GET, showing `secret` once (`ShownSecret`). Never
/// stored by the browser or a proxy.
async fn render_revealed(parts: axum::http::request::Parts, secret: String) -> Response {
    render_with(parts, ShownSecret(secret)).await
}

/// Renders the page at the posted URL, as a GET, with `shown` in its context (what the post
/// answered), marked never to be stored by the browser or a proxy.
pub async fn render_with<T: Clone + Send + Sync + 'static>(
    mut parts: axum::http::request::Parts,
    shown: T,
) -> Response {
    let (Some(state), Some(options)) =
        (parts.extensions.get::<AppState>().cloned(), parts.extensions.get::<LeptosOptions>().cloned())
    else {
        return internal();
    };
    let base_context = leptos_context(state);
    let context = move || {
        base_context();
        provide_context(shown.clone());
    };
    let render = leptos_axum::render_app_async_with_context(context, move || app::shell(options.clone()));
    parts.method = Method::GET;
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

/// LOG-5: signing out ends the session on the server. When the database cannot record that
/// (unreachable, or out of space) the user is told they are still signed in, with the request's
/// reference, rather than shown a bare error or a home page that suggests they are signed out.
pub async fn logout(session: Session, reference: Option<Extension<RequestRef>>) -> Response {
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "could not end the session");
        let reference = reference.map(|Extension(r)| r.0).unwrap_or_default();
        let message = format!(
            "We could not sign you out: the server could not save the change, so you are still signed in. \
             Please try again in a minute. (reference {reference})"
        );
        let page = crate::assets::plain_page("Not signed out", &message);
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "60")], Html(page)).into_response();
    }
    Redirect::to("/").into_response()
}

#[cfg(test)]
mod tests {
    use super::arguments;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    // covers: REG-3, REG-15, SEC-5
    #[test]
    fn path_parameters_fixed_arguments_and_ref_win_over_posted_fields() {
        let posted = pairs(&[
            ("comments", "ok"),
            ("id", "someone-elses"),
            ("scope", "Merchant"),
            ("accounts", "a1"),
            ("accounts", "a2"),
        ]);
        let args =
            arguments(&posted, Some("ref=%2Fnext&id=also-ignored"), &pairs(&[("id", "r1")]), &[("scope", "Company")]);
        assert_eq!(
            args,
            pairs(&[
                ("comments", "ok"),
                ("accounts", "a1"),
                ("accounts", "a2"),
                ("ref", "/next"),
                ("id", "r1"),
                ("scope", "Company")
            ])
        );
    }
}
