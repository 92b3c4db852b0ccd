//! `Application::build(config)`: database, bootstrap data, router and layers, listener. Tests
//! bind port 0 and read the port back (STYLE.md "Startup is testable").

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::routing::{get, post};
use axum::{middleware, Extension, Router};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use app::api::ssr::RequestRef;
use app::backend::password::PasswordHasher;
use app::backend::services::bootstrap;
use app::backend::state::NoDirectory;
use app::backend::{AppConfig, AppState, Clock, Db, SystemClock};

use crate::config::Config;
use crate::context::leptos_context;
use crate::forms::form_post;
use crate::middleware::{
    client_ip, csrf, nul_bytes, password_change, rate_limit, request_id, rpc_errors, security_headers,
};
use crate::session_store::DbSessionStore;
use crate::{api, background, forms, health, import_upload};
use app::api::admin::contacts::{CreateContact, RegisterContactUser, SaveContact, SendContactInvitation};
use app::api::admin::roles::{CreateRole, DeleteRole, UpdateRole};
use app::api::admin::user_accounts::{AssignAccount, RemoveAccount};
use app::api::admin::user_roles::{GrantRole, RevokeRole};
use app::api::admin::user_sites::{AssignSite, RemoveSite};
use app::api::approvals::decide::{ApproveRequest, RejectRequest};
use app::api::auth::change_password::ChangePassword;
use app::api::auth::forgot::Forgot;
use app::api::auth::reset_password::ResetPassword;
use app::api::auth::sign_in::SignIn;
use app::api::company::profile::SaveCompanyProfile;
use app::api::console::activity::RetryMessage;
use app::api::console::approval_setup::{
    AddApprovalStep, AddGroupMember, CreateApprovalDefinition, CreateApprovalGroup, MoveApprovalStep,
    RemoveApprovalStep, RemoveGroupMember, RenameApprovalDefinition, UpdateApprovalGroup,
};
use app::api::console::catalog::{
    CreateEnrollment, CreateMerchantRole, CreateSite, UpdateEnrollment, UpdateMerchantRole, UpdateSite,
};
use app::api::console::integrations::{
    ActivateIntegration, CreateIntegration, InactivateIntegration, ReplaceIntegrationSecret, SaveIntegration,
};
use app::api::console::settings::SaveSettings;
use app::api::console::user_types::{CreateUserType, UpdateUserType};
use app::api::console::users::{
    CreateBareUser, DeleteUser, DisableUser, EnableUser, GrantUserRole, RemoveUserRole, ResetUserPassword,
};
use app::api::profile::add_email::AddEmail;
use app::api::profile::addresses::{AddAddress, EditAddress, PreferAddress, RemoveAddress};
use app::api::profile::confirm_email::ConfirmEmail;
use app::api::profile::make_primary::MakePrimaryEmail;
use app::api::profile::phones::{AddPhone, EditPhone, PreferPhone, RemovePhone};
use app::api::profile::remove_email::RemoveEmail;
use app::api::profile::save_preferences::SavePreferences;
use app::api::profile::save_profile::SaveProfile;
use app::api::register::confirm::ConfirmRegistration;
use app::api::register::submit::SubmitRegistration;
use app::api::session_scope::accounts::SetPrimaryAccount;
use app::api::session_scope::switch::{SwitchAccount, SwitchCustomer};

pub use crate::session_store::SESSION_COOKIE;

pub struct Application {
    listener: TcpListener,
    /// `GATEHOUSE_METRICS_ADDR`'s listener, when metrics are on.
    metrics: Option<TcpListener>,
    router: Router,
    state: AppState,
    config: Config,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let db = Db::connect(&config.database_url).await.context("could not open the database")?;
        db.migrate().await.context("could not migrate the database")?;
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let state = AppState {
            db,
            clock,
            hasher: PasswordHasher::with_max_wait(cores, config.hash_wait),
            config: Arc::new(AppConfig { public_url: config.public_url.clone(), ip_rate_limit: config.ip_rate_limit }),
            directory: Arc::new(NoDirectory),
        };
        let admin_password = config.admin_password.as_ref().map(|s| s.expose().to_owned());
        if let Some(generated) = bootstrap::ensure_merchant_admin(&state, admin_password.as_deref()).await? {
            // OPS-5: shown once, on the console only, never in structured logs; it must be
            // changed at first sign-in (LOG-3).
            eprintln!("\n  Merchant admin created. Username: admin  First password: {generated}\n  (Set GATEHOUSE_ADMIN_PASSWORD to choose it. It must be changed at first sign-in.)\n");
        }
        if config.demo_data && bootstrap::load_demo_data(&state).await? {
            tracing::info!("demo data loaded");
        }
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("could not listen on {}", config.site_addr))?;
        let metrics = match config.metrics_addr {
            Some(address) => Some(crate::metrics::bind(address).await?),
            None => None,
        };
        let router = router(state.clone(), &config).await?;
        Ok(Self { listener, metrics, router, state, config })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The metrics listener's port, when metrics are on.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().and_then(|l| l.local_addr().ok()).map(|a| a.port())
    }

    /// Serves `GET /metrics` on its own listener until the process ends.
    fn spawn_metrics(&mut self) {
        if let Some(listener) = self.metrics.take() {
            let router = crate::metrics::router(self.state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, router).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C / SIGTERM, with the background jobs unless `GATEHOUSE_JOBS=off`.
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        self.spawn_metrics();
        let (stop, stopped) = watch::channel(false);
        let jobs =
            if self.config.run_jobs { background::spawn_all(&self.state, &self.config, stopped)? } else { Vec::new() };
        tracing::info!(address = %self.listener.local_addr()?, "Gatehouse is listening");
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        let _ = stop.send(true);
        for job in jobs {
            let _ = job.await;
        }
        self.state.db.close().await;
        Ok(())
    }

    /// Serves in the background (tests).
    pub fn spawn(mut self) -> tokio::task::JoinHandle<()> {
        self.spawn_metrics();
        tokio::spawn(async move {
            let _ = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>()).await;
        })
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("gatehouse")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(env)
        .hash_files(crate::assets::hashed())
        .build()
}

async fn router(state: AppState, config: &Config) -> anyhow::Result<Router> {
    let options = leptos_options(config);
    // SEC-2's limits are the server's, on the app clock and the current settings (see
    // session_store.rs); the cookie itself lasts until the browser closes.
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.clock.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnSessionEnd);

    let routes = generate_route_list(app::App);
    let context = leptos_context(state.clone());
    let shell_options = options.clone();
    let limits = config.ip_rate_limit.then(rate_limit::Limits::default);
    if let Some(limits) = &limits {
        background::spawn_limit_shrinker(limits.clone());
    }

    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/logout", post(forms::logout))
        // The pages' plain form posts (REG-15), each running its page's server function.
        .route("/login", form_post::<SignIn>(&[]))
        .route("/register/{type_key}", form_post::<SubmitRegistration>(&[]))
        .route("/register/confirm/{type_key}", form_post::<ConfirmRegistration>(&[]))
        .route("/password/change", form_post::<ChangePassword>(&[]))
        .route("/forgot", form_post::<Forgot>(&[]))
        .route("/password/reset/{token}", form_post::<ResetPassword>(&[]))
        .route("/profile/accounts/{id}/primary", form_post::<SetPrimaryAccount>(&[]))
        .route("/session/account", form_post::<SwitchAccount>(&[]))
        .route("/session/customer", form_post::<SwitchCustomer>(&[]))
        .route("/profile", form_post::<SaveProfile>(&[]))
        .route("/profile/emails", form_post::<AddEmail>(&[]))
        .route("/profile/emails/{id}/primary", form_post::<MakePrimaryEmail>(&[]))
        .route("/profile/emails/{id}/remove", form_post::<RemoveEmail>(&[]))
        .route("/profile/email/confirm/{token}", form_post::<ConfirmEmail>(&[]))
        .route("/profile/preferences", form_post::<SavePreferences>(&[]))
        .route("/admin/approvals/{id}/approve", form_post::<ApproveRequest>(&[("scope", "Company")]))
        .route("/admin/approvals/{id}/reject", form_post::<RejectRequest>(&[("scope", "Company")]))
        .route("/console/approvals/{id}/approve", form_post::<ApproveRequest>(&[("scope", "Merchant")]))
        .route("/console/approvals/{id}/reject", form_post::<RejectRequest>(&[("scope", "Merchant")]))
        // PRO-2: the address book and phone book; PRO-5: the company profile and its addresses.
        .route("/profile/addresses/new", form_post::<AddAddress>(&[("book", "Person")]))
        .route("/profile/addresses/{id}", form_post::<EditAddress>(&[("book", "Person")]))
        .route("/profile/addresses/{id}/remove", form_post::<RemoveAddress>(&[("book", "Person")]))
        .route("/profile/addresses/{id}/prefer", form_post::<PreferAddress>(&[("book", "Person")]))
        .route("/profile/phones/new", form_post::<AddPhone>(&[]))
        .route("/profile/phones/{id}", form_post::<EditPhone>(&[]))
        .route("/profile/phones/{id}/remove", form_post::<RemovePhone>(&[]))
        .route("/profile/phones/{id}/prefer", form_post::<PreferPhone>(&[]))
        .route("/company", form_post::<SaveCompanyProfile>(&[]))
        .route("/company/addresses/new", form_post::<AddAddress>(&[("book", "Company")]))
        .route("/company/addresses/{id}", form_post::<EditAddress>(&[("book", "Company")]))
        .route("/company/addresses/{id}/remove", form_post::<RemoveAddress>(&[("book", "Company")]))
        .route("/company/addresses/{id}/prefer", form_post::<PreferAddress>(&[("book", "Company")]))
        // ADM-2, ADM-3: contacts and their logins.
        .route("/admin/contacts/new", form_post::<CreateContact>(&[]))
        .route("/admin/contacts/{id}", form_post::<SaveContact>(&[]))
        .route("/admin/contacts/{id}/user", form_post::<RegisterContactUser>(&[]))
        .route("/admin/contacts/{id}/invite", form_post::<SendContactInvitation>(&[]))
        .route("/admin/contacts/{id}/roles/{role_id}/grant", form_post::<GrantRole>(&[]))
        .route("/admin/contacts/{id}/roles/{role_id}/revoke", form_post::<RevokeRole>(&[]))
        .route("/admin/contacts/{id}/sites/{site_id}/assign", form_post::<AssignSite>(&[]))
        .route("/admin/contacts/{id}/sites/{site_id}/remove", form_post::<RemoveSite>(&[]))
        .route("/admin/contacts/{id}/accounts/{account_id}/assign", form_post::<AssignAccount>(&[]))
        .route("/admin/contacts/{id}/accounts/{account_id}/remove", form_post::<RemoveAccount>(&[]))
        .route("/console/settings", form_post::<SaveSettings>(&[]))
        // CON-7: the customer import's upload (multipart, its own body limit).
        .route("/console/import", import_upload::route())
        .route("/console/outbox/{id}/retry", form_post::<RetryMessage>(&[]))
        // CON-2: approval definitions and their steps, approval groups and their members.
        .route("/console/approval-definitions/new", form_post::<CreateApprovalDefinition>(&[]))
        .route("/console/approval-definitions/{id}", form_post::<RenameApprovalDefinition>(&[]))
        .route("/console/approval-definitions/{id}/steps", form_post::<AddApprovalStep>(&[]))
        .route("/console/approval-definitions/{id}/steps/{step_id}/remove", form_post::<RemoveApprovalStep>(&[]))
        .route(
            "/console/approval-definitions/{id}/steps/{step_id}/up",
            form_post::<MoveApprovalStep>(&[("direction", "Up")]),
        )
        .route(
            "/console/approval-definitions/{id}/steps/{step_id}/down",
            form_post::<MoveApprovalStep>(&[("direction", "Down")]),
        )
        .route("/console/approval-groups/new", form_post::<CreateApprovalGroup>(&[]))
        .route("/console/approval-groups/{id}", form_post::<UpdateApprovalGroup>(&[]))
        .route("/console/approval-groups/{id}/members", form_post::<AddGroupMember>(&[]))
        .route("/console/approval-groups/{id}/members/{user_id}/remove", form_post::<RemoveGroupMember>(&[]))
        // CON-2: the merchant's roles, enrollments and specialty sites.
        .route("/console/roles/new", form_post::<CreateMerchantRole>(&[]))
        .route("/console/roles/{id}", form_post::<UpdateMerchantRole>(&[]))
        .route("/console/enrollments/new", form_post::<CreateEnrollment>(&[]))
        .route("/console/enrollments/{id}", form_post::<UpdateEnrollment>(&[]))
        .route("/console/sites/new", form_post::<CreateSite>(&[]))
        .route("/console/sites/{id}", form_post::<UpdateSite>(&[]))
        // CON-4: integration users.
        .route("/console/integrations/new", form_post::<CreateIntegration>(&[]))
        .route("/console/integrations/{id}", form_post::<SaveIntegration>(&[]))
        .route("/console/integrations/{id}/inactivate", form_post::<InactivateIntegration>(&[]))
        .route("/console/integrations/{id}/activate", form_post::<ActivateIntegration>(&[]))
        .route("/console/integrations/{id}/secret", form_post::<ReplaceIntegrationSecret>(&[]))
        .route("/console/user-types/new", form_post::<CreateUserType>(&[]))
        .route("/console/user-types/{current_key}", form_post::<UpdateUserType>(&[]))
        // CON-3: the console's users (Reset password answers a generated password in the page).
        .route("/console/users/new", form_post::<CreateBareUser>(&[]))
        .route("/console/users/{id}/enable", form_post::<EnableUser>(&[]))
        .route("/console/users/{id}/disable", form_post::<DisableUser>(&[]))
        .route("/console/users/{id}/delete", form_post::<DeleteUser>(&[]))
        .route("/console/users/{id}/password", form_post::<ResetUserPassword>(&[]))
        .route("/console/users/{id}/roles/grant", form_post::<GrantUserRole>(&[]))
        .route("/console/users/{id}/roles/{role_id}/remove", form_post::<RemoveUserRole>(&[]))
        .route("/admin/roles/new", form_post::<CreateRole>(&[]))
        .route("/admin/roles/{id}", form_post::<UpdateRole>(&[]))
        .route("/admin/roles/{id}/delete", form_post::<DeleteRole>(&[]))
        .leptos_routes_with_context(&options, routes, context.clone(), move || app::shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context(context, app::shell))
        .with_state(options.clone());

    let layers = ServiceBuilder::new()
        .layer(middleware::from_fn(request_id::assign))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let reference = request.extensions().get::<RequestRef>().map(|r| r.0.as_str()).unwrap_or("-");
            tracing::info_span!("request", request_id = %reference, method = %request.method(), path = %crate::telemetry::loggable_path(request.uri().path()))
        }))
        .layer(middleware::from_fn_with_state(
            security_headers::HeaderPolicy::for_public_url(&config.public_url),
            security_headers::apply,
        ))
        .layer(Extension(state))
        .layer(Extension(options))
        .layer(Extension(client_ip::TrustedProxies(Arc::new(config.trusted_proxies.clone()))))
        .layer(Extension(csrf::AllowedOrigin(config.public_url.clone())))
        .layer(middleware::from_fn(client_ip::assign))
        .layer(middleware::from_fn(csrf::check))
        .layer(middleware::from_fn(nul_bytes::refuse))
        .into_inner();
    let router = router
        .layer(middleware::from_fn(rpc_errors::error_status))
        .layer(middleware::from_fn(password_change::gate))
        .layer(sessions)
        .layer(CompressionLayer::new())
        // SPEC §13: the JSON API, outside the sessions, the LOG-3 gate and the server functions'
        // error mapping (it answers its own problems); the layers below apply to it too.
        .nest(api::API_PREFIX, api::router(api::auth::ClientLimits::per_minute(config.api_requests_per_minute)));
    let router = match limits {
        Some(limits) => router.layer(middleware::from_fn(rate_limit::limit)).layer(Extension(limits)),
        None => router,
    };
    let router = router.layer(layers);
    // Outermost, so a request's time includes every layer; only with metrics on.
    Ok(if config.metrics_addr.is_some() {
        crate::metrics::recorder();
        router.layer(middleware::from_fn(crate::metrics::track))
    } else {
        router
    })
}
