//! The integration API (SPEC §13) under `/api/v1`: its own axum router, outside Leptos, with no
//! cookies, sessions or CSRF check (bearer tokens; DESIGN.md "Integration API"). Every route is
//! registered through utoipa-axum together with its documentation, so the OpenAPI 3.1 document
//! at `/api/v1/openapi.json` is generated from the very handlers that serve.

pub mod approvals;
pub mod auth;
pub mod directory;
pub mod extract;
pub mod idempotency;
pub mod problem;
pub mod registrations;
pub mod token;
pub mod users;

use std::sync::Arc;

use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Extension, Router};
use utoipa::openapi::security::{ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::domain::integration::ApiScope;

use self::auth::ClientLimits;
use self::problem::{reference_of, ApiError, Problem, ProblemField, Reference, PROBLEM_JSON};

/// Where the API lives; the middleware (rate limits, CSRF, LOG-3 gate) knows it by this prefix.
pub const API_PREFIX: &str = "/api/v1";

/// Whether `path` is one of the API's.
pub fn is_api(path: &str) -> bool {
    path == API_PREFIX || path.starts_with("/api/v1/")
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gatehouse integration API",
        version = "1",
        description = "For the merchant's other systems (CPQ, ERP, CRM): registrations, approvals, users and \
organizations. Get a token with the client credentials of an integration user (POST /token, HTTP Basic), then \
send `Authorization: Bearer <token>` on every call. Errors are `application/problem+json` (RFC 9457) with the \
request's `reference`. Lists are paged with `cursor` and `limit`. A POST with an `Idempotency-Key` header is \
answered once and repeated for 24 hours."
    ),
    servers((url = "/api/v1", description = "This server")),
    modifiers(&SecuritySchemes),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "authentication", description = "Client credentials tokens (API-1)"),
        (name = "users", description = "Users (API-3)"),
        (name = "organizations", description = "Organizations (API-3)"),
        (name = "registrations", description = "Registrations (API-3)"),
        (name = "approvals", description = "Pending approvals (API-3)"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scopes: Scopes = ApiScope::all().map(|s| (s.to_string(), s.label().to_owned())).collect();
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new("/api/v1/token", scopes))],
                "A bearer token from POST /token; its scopes are the integration user's admin groups.",
            )),
        );
        components.add_security_scheme(
            "client_secret_basic",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("The integration user's client ID and client secret (token request only)."))
                    .build(),
            ),
        );
    }
}

/// Serves this document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"))
)]
async fn openapi_json(Extension(document): Extension<Arc<String>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], (*document).clone()).into_response()
}

/// The routes that need a bearer token, in the order their middleware runs: the token
/// (401), the client's budget (429), then idempotency (API-6).
fn protected(limits: ClientLimits) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(directory::list_users, users::create_user))
        .routes(routes!(directory::get_user, users::delete))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(directory::list_organizations))
        .routes(routes!(directory::get_organization))
        .routes(routes!(registrations::submit_registration))
        .routes(routes!(approvals::list_approvals))
        .routes(routes!(approvals::approve))
        .routes(routes!(approvals::reject))
        .route_layer(middleware::from_fn(idempotency::idempotent))
        .route_layer(middleware::from_fn_with_state(limits, auth::limit))
        .route_layer(middleware::from_fn(auth::authenticate))
}

/// Every route with its documentation (the router is served, the document describes it).
pub fn routes(limits: ClientLimits) -> (Router, Document) {
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(token::token))
        .routes(routes!(openapi_json))
        .merge(protected(limits))
        .split_for_parts();
    add_common_errors(&mut document);
    (router, document)
}

/// The API's router, to nest at [`API_PREFIX`]: unknown paths and methods answer problems too.
pub fn router(limits: ClientLimits) -> Router {
    let (router, document) = routes(limits);
    let json = Arc::new(document.to_json().unwrap_or_else(|_| "{}".into()));
    router
        .fallback(|Reference(reference): Reference| async move {
            ApiError::new(StatusCode::NOT_FOUND, "no-such-path", "Not found", "This API has no such path.", &reference)
        })
        .method_not_allowed_fallback(|request: Request<axum::body::Body>| async move {
            let (parts, _) = request.into_parts();
            ApiError::method_not_allowed(&reference_of(&parts))
        })
        .layer(Extension(json))
}

/// API-5: every operation documents its problems — 401 and 429 where a token is needed, 400,
/// 403, 404 and 500 — with the shared `Problem` schema.
fn add_common_errors(document: &mut Document) {
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
            .build()
    };
    for (path, item) in document.paths.paths.iter_mut() {
        let public = path == "/token" || path == "/openapi.json";
        let operations =
            [item.get.as_mut(), item.post.as_mut(), item.put.as_mut(), item.patch.as_mut(), item.delete.as_mut()];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses.entry(status.to_owned()).or_insert_with(|| problem(description).into());
            };
            if !public {
                add("400", "The request could not be read (bad query, body or cursor)");
                add("401", "No valid access token (unknown, expired, or its integration user is inactive)");
                add("403", "The integration user's scopes do not allow this call");
                add("404", "Not found, or outside the integration user's sales groups");
                add("429", "This client's request budget is spent; see Retry-After");
            }
            add("500", "The server failed; nothing changed");
        }
    }
}
