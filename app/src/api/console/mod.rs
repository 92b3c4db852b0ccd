//! The merchant console (SPEC §9): its sections as data, and the server functions of
//! `/console…`. Each server function makes its `MerchantAdmin` capability itself (SEC-5),
//! whatever the page showed.

pub mod activity;
pub mod approval_setup;
pub mod catalog;
pub mod customer_import;
pub mod integrations;
pub mod overview;
pub mod settings;
pub mod user_types;
pub mod users;

use serde::{Deserialize, Serialize};

pub const CONSOLE: &str = "/console";

/// One section of the console: its menu entry and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleSection {
    pub label: &'static str,
    pub href: &'static str,
    pub summary: &'static str,
}

/// The console's menu, in the order it is shown. Every entry is for merchant admins only; the
/// pages and their server functions check that themselves.
pub const CONSOLE_SECTIONS: &[ConsoleSection] = &[
    ConsoleSection { label: "Overview", href: CONSOLE, summary: "What needs attention." },
    ConsoleSection {
        label: "Approvals",
        href: "/console/approvals",
        summary: "Every request waiting for a decision (APR-8).",
    },
    ConsoleSection {
        label: "Users",
        href: "/console/users",
        summary: "Search all users; disable, enable, delete, reset passwords, grant roles.",
    },
    ConsoleSection {
        label: "User types",
        href: "/console/user-types",
        summary: "Who may register, how, and which approval applies.",
    },
    ConsoleSection {
        label: "Approvals setup",
        href: "/console/approval-definitions",
        summary: "Approval definitions and their steps, approval groups and their members.",
    },
    ConsoleSection {
        label: "Roles and sites",
        href: "/console/roles",
        summary: "Roles and their permissions, enrollments, specialty sites.",
    },
    ConsoleSection { label: "Settings", href: "/console/settings", summary: "The merchant's settings." },
    ConsoleSection {
        label: "Integrations",
        href: "/console/integrations",
        summary: "Integration users of the JSON API and their client credentials.",
    },
    ConsoleSection {
        label: "Import",
        href: "/console/import",
        summary: "Import existing customers, accounts and orders from a CSV file (OAA-6).",
    },
    ConsoleSection {
        label: "Audit log",
        href: "/console/audit",
        summary: "Every security-relevant change: who, what, when, why.",
    },
    ConsoleSection { label: "Outbox", href: "/console/outbox", summary: "E-mail queued, sent and failed, with retry." },
];

/// The console's home: what waits for the merchant's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSummary {
    pub pending_requests: i64,
    pub failed_messages: i64,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::authz::MerchantAdmin;
    use crate::backend::AppState;

    /// The state and the caller's console capability, or the refusal (401 / 403).
    pub async fn merchant_admin() -> Result<(AppState, MerchantAdmin), AppError> {
        let state = state()?;
        let caller = crate::api::capability::caller().await?;
        let admin = caller.merchant_admin().map_err(|e| to_app_error(e, reference()))?;
        Ok((state, admin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: CON-1
    #[test]
    fn every_section_lives_under_the_console() {
        for section in CONSOLE_SECTIONS {
            assert!(section.href.starts_with(CONSOLE), "{} at {}", section.label, section.href);
        }
        let mut hrefs: Vec<_> = CONSOLE_SECTIONS.iter().map(|s| s.href).collect();
        hrefs.sort_unstable();
        hrefs.dedup();
        assert_eq!(hrefs.len(), CONSOLE_SECTIONS.len(), "no section twice");
    }
}
