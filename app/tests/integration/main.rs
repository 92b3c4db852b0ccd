//! The use cases against real databases: SQLite always, PostgreSQL as well when
//! `TEST_DATABASE_URL` is set (required under `CI=true`). One test binary for all of them:
//! each binary links the whole app, so one per file cost minutes of linking and gigabytes of disk.
#![cfg(feature = "ssr")]

mod admin_access;
mod admin_contacts;
mod admin_roles;
mod approval_timeouts;
mod approvals;
mod approvals_races;
mod approvals_routing;
mod approvals_scope;
mod capabilities;
mod company_profile;
mod console;
mod console_setup;
mod console_users;
mod contact_book;
mod customer_import;
mod email_change;
mod enrollments;
mod integrations;
mod login_help;
mod online_access;
mod out_of_space;
mod partial_registration;
mod password_change;
mod profile;
mod reference_data;
mod registration;
mod registration_checks;
mod rejection;
mod session_scope;
mod sign_in;
mod sign_in_device;
mod sign_in_throttle;
mod universal_approver;
