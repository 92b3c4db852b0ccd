//! Configuration: one typed struct from the environment variables of SPEC OPS-5, with their
//! documented defaults. Secrets are wrapped so `Debug` never prints them (SEC-7).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use app::backend::password::CommonPasswordList;
use app::backend::services::bootstrap;
use app::domain::{Password, PasswordContext, PasswordPolicy};

/// A secret value whose `Debug` is redacted.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/gatehouse.db`) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: listen address (default `127.0.0.1:3000`; port 0 in tests).
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: where cargo-leptos put the compiled site (default `target/site`).
    pub site_root: String,
    /// `GATEHOUSE_PUBLIC_URL`: base of links in e-mails.
    pub public_url: String,
    /// `GATEHOUSE_SMTP_URL`: e.g. `smtp://127.0.0.1:1025`; unset → mail written as files.
    pub smtp_url: Option<String>,
    /// `GATEHOUSE_MAIL_DIR`: where mail files go when SMTP is unset.
    pub mail_dir: PathBuf,
    /// `GATEHOUSE_DEMO_DATA`: load the demo data on first start.
    pub demo_data: bool,
    /// `GATEHOUSE_ADMIN_PASSWORD`: the merchant admin's first password.
    pub admin_password: Option<Secret>,
    /// `GATEHOUSE_IP_RATE_LIMIT`: `off` disables the per-client-address limits.
    pub ip_rate_limit: bool,
    /// `GATEHOUSE_TRUSTED_PROXIES`: comma-separated proxy addresses whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// `GATEHOUSE_JOBS`: `off` runs no background jobs in this instance (tests drive them).
    pub run_jobs: bool,
    /// SEC-1: how long a request waits for a password hasher before it is answered "busy"
    /// (not an environment variable; tests shorten it).
    pub hash_wait: std::time::Duration,
    /// `GATEHOUSE_API_RATE_LIMIT`: requests a minute each integration client may make to the
    /// JSON API (API-6; default 600, in bursts of as many).
    pub api_requests_per_minute: u32,
    /// `GATEHOUSE_METRICS_ADDR`: where Prometheus metrics are served (`GET /metrics`), on a
    /// listener of their own; unset → no metrics at all.
    pub metrics_addr: Option<SocketAddr>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn flag(name: &str, default: bool) -> anyhow::Result<bool> {
    match var(name).as_deref() {
        None => Ok(default),
        Some("1" | "on" | "true" | "yes") => Ok(true),
        Some("0" | "off" | "false" | "no") => Ok(false),
        Some(other) => anyhow::bail!("{name} must be on/off (or 1/0), not {other:?}"),
    }
}

/// SEC-7 / OPS-5: an operator-chosen first password for the merchant admin must meet REG-9's
/// default policy, judged as if the admin typed it (username `admin`, name Merchant
/// Administrator, as bootstrap creates them): a weak first password is open until the first
/// sign-in changes it. Refusing to start names the broken rule, never the password.
fn checked_admin_password(password: String) -> anyhow::Result<Secret> {
    let context =
        PasswordContext { username: bootstrap::ADMIN_USERNAME, first_name: "Merchant", last_name: "Administrator" };
    match Password::parse(password, &PasswordPolicy::default(), &context, &CommonPasswordList) {
        Ok(password) => Ok(Secret::new(password.expose_secret().to_owned())),
        Err(rule) => anyhow::bail!("GATEHOUSE_ADMIN_PASSWORD does not meet the password policy: {rule}"),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let trusted_proxies = var("GATEHOUSE_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>().with_context(|| format!("GATEHOUSE_TRUSTED_PROXIES: {s:?} is not an IP address"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/gatehouse.db".into()),
            site_addr: site_addr.parse().with_context(|| format!("LEPTOS_SITE_ADDR {site_addr:?} is not host:port"))?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            public_url: var("GATEHOUSE_PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:3000".into())
                .trim_end_matches('/')
                .to_owned(),
            smtp_url: var("GATEHOUSE_SMTP_URL"),
            mail_dir: var("GATEHOUSE_MAIL_DIR").unwrap_or_else(|| "data/mail".into()).into(),
            demo_data: flag("GATEHOUSE_DEMO_DATA", false)?,
            admin_password: var("GATEHOUSE_ADMIN_PASSWORD").map(checked_admin_password).transpose()?,
            ip_rate_limit: flag("GATEHOUSE_IP_RATE_LIMIT", true)?,
            trusted_proxies,
            run_jobs: flag("GATEHOUSE_JOBS", true)?,
            hash_wait: std::time::Duration::from_secs(3),
            api_requests_per_minute: match var("GATEHOUSE_API_RATE_LIMIT") {
                None => 600,
                Some(n) => n
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("GATEHOUSE_API_RATE_LIMIT must be a positive number, not {n:?}"))?,
            },
            metrics_addr: var("GATEHOUSE_METRICS_ADDR")
                .map(|a| a.parse().with_context(|| format!("GATEHOUSE_METRICS_ADDR {a:?} is not host:port")))
                .transpose()?,
        })
    }

    /// A configuration for tests: in-memory SQLite, port 0, mail files in a temp folder.
    pub fn for_tests(database_url: &str, mail_dir: PathBuf) -> Self {
        Self {
            database_url: database_url.to_owned(),
            site_addr: "127.0.0.1:0".parse().expect("valid address"),
            site_root: "target/site".into(),
            public_url: "http://127.0.0.1".into(),
            smtp_url: None,
            mail_dir,
            demo_data: false,
            admin_password: Some(Secret::new("Lantern-harbor-for-tests-1".into())),
            ip_rate_limit: true,
            trusted_proxies: Vec::new(),
            run_jobs: false,
            hash_wait: std::time::Duration::from_secs(3),
            api_requests_per_minute: 600,
            metrics_addr: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut config = Config::for_tests("sqlite::memory:", "data/mail".into());
        config.admin_password = Some(Secret::new("hunter2-hunter2".into()));
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("Secret(***)"));
    }

    // covers: SEC-7, OPS-5
    #[test]
    fn a_merchant_admin_password_that_breaks_the_policy_refuses_to_start() {
        // The only test in this binary that touches the environment.
        std::env::set_var("GATEHOUSE_ADMIN_PASSWORD", "Admin-password-1");
        let refused = Config::from_env();
        std::env::remove_var("GATEHOUSE_ADMIN_PASSWORD");
        let message = format!("{:#}", refused.expect_err("a password containing the username is refused"));
        assert!(message.contains("GATEHOUSE_ADMIN_PASSWORD"), "{message}");
        assert!(message.contains("must not contain your username or name"), "{message}");
        assert!(!message.contains("Admin-password-1"), "the password itself is never shown: {message}");
    }

    // covers: SEC-7, OPS-5
    #[test]
    fn the_admin_password_check_names_each_rule_and_accepts_a_good_password() {
        let refused = |p: &str| format!("{:#}", checked_admin_password(p.to_owned()).expect_err(p));
        assert!(refused("short-1").contains("at least 12 characters"));
        assert!(refused("merchant-key-for-the-shop").contains("must not contain your username or name"));
        assert!(refused("password1234").contains("too common"));
        assert_eq!(
            checked_admin_password("Copper-Lantern-Meadow-4821".into()).unwrap().expose(),
            "Copper-Lantern-Meadow-4821"
        );
    }
}
