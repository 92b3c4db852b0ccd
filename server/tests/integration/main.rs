//! The server over HTTP (the real application on a fresh database per test), mail delivery and
//! the schema parity of the two databases. One test binary for all of them: each binary links
//! the whole app and server, so one per file cost minutes of linking and gigabytes of disk.

mod common;
mod http_admin_access;
mod http_admin_contacts;
mod http_admin_isolation;
mod http_api;
mod http_approvals;
mod http_brute_force;
mod http_company;
mod http_console;
mod http_console_import;
mod http_console_integrations;
mod http_console_isolation;
mod http_console_setup;
mod http_console_users;
mod http_csrf;
mod http_health;
mod http_hostile_input;
mod http_login_help;
mod http_metrics;
mod http_openapi;
mod http_out_of_space;
mod http_page_scripts;
mod http_partial_registration;
mod http_password_change;
mod http_profile;
mod http_registration;
mod http_security;
mod http_session_scope;
mod http_sign_in;
mod http_sign_in_device;
mod http_spine;
mod isolation;
mod mail_delivery;
mod mail_templates;
mod schema_parity;
