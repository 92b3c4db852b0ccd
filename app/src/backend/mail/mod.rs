//! E-mail (NOT-1, NOT-3, NOT-4): templates rendered to final messages, queued in the outbox
//! inside the caller's transaction.
//!
//! Templates are files under `templates/<language>/`, embedded at compile time: for each event
//! `<event>.subject.txt`, `<event>.txt` (plain text) and `<event>.html` (auto-escaped). A language
//! without its own folder (or without one event's files) falls back to English. Messages never
//! carry passwords (SEC-7): the constructors take none, and a test checks every template.

use std::sync::OnceLock;

use minijinja::value::merge_maps;
use minijinja::{context, AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value};
use sqlx::AnyConnection;

use crate::backend::settings::Settings;
use crate::backend::store::outbox as store;
use crate::backend::StoreError;
use crate::domain::Language;

/// The server's dispatcher builds and sends messages with this lettre, so the server crate
/// needs no lettre dependency of its own and both always agree on the version.
pub use lettre;

/// A rendered message, ready for the outbox. `template` names the event (for logs and the
/// console); the bodies are final, so the dispatcher renders nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub template: &'static str,
}

/// What every message says about the merchant (NOT-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub merchant_name: String,
    pub support_contact: String,
    /// Base of links, without a trailing slash.
    pub public_url: String,
}

impl Brand {
    pub fn new(settings: &Settings, public_url: &str) -> Self {
        Self {
            merchant_name: settings.merchant_name.clone(),
            support_contact: settings.support_contact.clone(),
            public_url: settings.public_base_url.as_deref().unwrap_or(public_url).trim_end_matches('/').to_owned(),
        }
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    fn context(&self) -> Value {
        context! {
            merchant_name => &self.merchant_name,
            support_contact => &self.support_contact,
            public_url => &self.public_url,
        }
    }
}

/// The NOT-1 events, one template set each.
pub const EVENTS: &[&str] = &[
    "registration_received",
    "approval_needed",
    "approved",
    "rejected",
    "approval_reminder",
    "enrollment_approved",
    "user_created",
    "forgot_login",
    "email_confirm",
    "email_change_notice",
];

const FALLBACK_LANGUAGE: &str = "en";

/// Embeds one language folder: its two layouts and the three files of each event.
macro_rules! language_folder {
    ($lang:literal, [$($event:literal),* $(,)?]) => {
        &[
            (concat!($lang, "/_layout.html"), include_str!(concat!("templates/", $lang, "/_layout.html"))),
            (concat!($lang, "/_layout.txt"), include_str!(concat!("templates/", $lang, "/_layout.txt"))),
            $(
                (concat!($lang, "/", $event, ".subject.txt"),
                 include_str!(concat!("templates/", $lang, "/", $event, ".subject.txt"))),
                (concat!($lang, "/", $event, ".txt"),
                 include_str!(concat!("templates/", $lang, "/", $event, ".txt"))),
                (concat!($lang, "/", $event, ".html"),
                 include_str!(concat!("templates/", $lang, "/", $event, ".html"))),
            )*
        ]
    };
}

/// Every embedded template as (name, source); a new language adds one line here.
pub static TEMPLATE_SOURCES: &[&[(&str, &str)]] = &[language_folder!(
    "en",
    [
        "registration_received",
        "approval_needed",
        "approved",
        "rejected",
        "approval_reminder",
        "enrollment_approved",
        "user_created",
        "forgot_login",
        "email_confirm",
        "email_change_notice",
    ]
)];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A misspelt variable must fail the template tests, not send an e-mail with a gap.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(html_formatter);
        // Names end in .html or .txt, so minijinja's default escapes exactly the HTML parts.
        for folder in TEMPLATE_SOURCES {
            for (name, source) in folder.iter() {
                env.add_template(name, source).expect("embedded mail template parses");
            }
        }
        env
    })
}

/// HTML-escapes strings like minijinja's default, except `/`: minijinja writes it as `&#x2f;`,
/// which turns every link into `https:&#x2f;&#x2f;…`; the five characters below are all that
/// text and quoted attributes need.
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    match (state.auto_escape(), value.as_str()) {
        (AutoEscape::Html, Some(text)) if !value.is_safe() => {
            let mut escaped = String::with_capacity(text.len());
            for ch in text.chars() {
                match ch {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#x27;"),
                    other => escaped.push(other),
                }
            }
            out.write_str(&escaped).map_err(|_| Error::new(ErrorKind::WriteFailure, "formatting failed"))
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// The folder to render `event` from: the language's own, else English.
fn folder_for(env: &Environment<'static>, lang: Language, event: &str) -> &'static str {
    let code = lang.code();
    if env.get_template(&format!("{code}/{event}.txt")).is_ok() {
        code
    } else {
        FALLBACK_LANGUAGE
    }
}

/// Renders the three parts of `event`. Templates are embedded and every one is rendered by
/// the test suite, so a failure here is a programming error, not a runtime condition.
fn render(brand: &Brand, lang: Language, event: &'static str, to: &str, values: Value) -> OutgoingMail {
    let env = environment();
    let folder = folder_for(env, lang, event);
    let part = |suffix: &str, ctx: &Value| -> String {
        let name = format!("{folder}/{event}{suffix}");
        env.get_template(&name)
            .and_then(|template| template.render(ctx))
            .unwrap_or_else(|err| panic!("mail template {name} failed to render: {err:#}"))
    };
    // Event values first: on a clash they win over the brand's.
    let base = merge_maps([context! { lang => folder }, values, brand.context()]);
    // One line, whatever a name contains: a subject is a header.
    let subject = part(".subject.txt", &base).split_whitespace().collect::<Vec<_>>().join(" ");
    let full = context! { subject => &subject, ..base };
    let text = part(".txt", &full);
    let html = part(".html", &full);
    OutgoingMail { to: to.to_owned(), subject, text, html, template: event }
}

/// NOT-1: registration received, in two variants (waiting for approval, or ready to sign in).
pub fn registration_received(
    brand: &Brand,
    lang: Language,
    to: &str,
    first_name: &str,
    username: &str,
    approval_required: bool,
    registry_id: Option<&str>,
) -> OutgoingMail {
    let values = context! {
        first_name, username, approval_required, registry_id,
        login_url => brand.link("/login"),
    };
    render(brand, lang, "registration_received", to, values)
}

/// NOT-1: approval needed, to each approver of the request's current step.
#[allow(clippy::too_many_arguments)]
pub fn approval_needed(
    brand: &Brand,
    lang: Language,
    to: &str,
    approver_first_name: &str,
    requester_name: &str,
    requester_username: &str,
    user_type_name: &str,
    company_name: Option<&str>,
) -> OutgoingMail {
    let values = context! {
        approver_first_name, requester_name, requester_username, user_type_name, company_name,
        approvals_url => brand.link("/admin/approvals"),
    };
    render(brand, lang, "approval_needed", to, values)
}

/// NOT-1: approved / welcome, with the Registry ID of a new company.
pub fn approved(
    brand: &Brand,
    lang: Language,
    to: &str,
    first_name: &str,
    username: &str,
    registry_id: Option<&str>,
) -> OutgoingMail {
    let values = context! { first_name, username, registry_id, login_url => brand.link("/login") };
    render(brand, lang, "approved", to, values)
}

/// NOT-1, APR-6: rejected, with the approver's comment when there is one.
pub fn rejected(brand: &Brand, lang: Language, to: &str, first_name: &str, comment: Option<&str>) -> OutgoingMail {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    render(brand, lang, "rejected", to, context! { first_name, comment })
}

/// NOT-1, APR-7: a step has waited longer than the approval timeout.
pub fn approval_reminder(
    brand: &Brand,
    lang: Language,
    to: &str,
    approver_first_name: &str,
    requester_name: &str,
    waiting_minutes: i64,
) -> OutgoingMail {
    let (waiting_amount, waiting_unit) = waiting_time(waiting_minutes);
    let values = context! {
        approver_first_name, requester_name, waiting_amount, waiting_unit,
        approvals_url => brand.link("/admin/approvals"),
    };
    render(brand, lang, "approval_reminder", to, values)
}

/// The largest whole unit (days, hours or minutes); the templates word and pluralise it.
fn waiting_time(minutes: i64) -> (i64, &'static str) {
    let minutes = minutes.max(0);
    if minutes >= 2 * 24 * 60 {
        (minutes / (24 * 60), "day")
    } else if minutes >= 2 * 60 {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    }
}

/// NOT-1, APR-10: an enrollment was approved; to each of the company's primary users.
pub fn enrollment_approved(
    brand: &Brand,
    lang: Language,
    to: &str,
    primary_first_name: &str,
    requester_name: &str,
    enrollment_name: &str,
) -> OutgoingMail {
    let values = context! {
        primary_first_name, requester_name, enrollment_name, login_url => brand.link("/login"),
    };
    render(brand, lang, "enrollment_approved", to, values)
}

/// NOT-1, ADM-2: a primary user created this user; with the set-password link of an invitation
/// (a temporary password is handed over by the administrator, never e-mailed).
pub fn user_created(
    brand: &Brand,
    lang: Language,
    to: &str,
    first_name: &str,
    username: &str,
    set_password_link: Option<&str>,
) -> OutgoingMail {
    let values = context! {
        first_name, username, set_password_link, login_url => brand.link("/login"),
    };
    render(brand, lang, "user_created", to, values)
}

/// NOT-1, LOG-4: every username of the address, each with its single-use set-password link.
pub fn forgot_login(brand: &Brand, lang: Language, to: &str, entries: &[(String, String)]) -> OutgoingMail {
    let entries: Vec<Value> = entries.iter().map(|(username, link)| context! { username, link }).collect();
    let values = context! { entries, register_url => brand.link("/register") };
    render(brand, lang, "forgot_login", to, values)
}

/// PRO-1, PRO-2: the single-use confirmation link of an address, sent to that address only.
pub fn email_confirm(
    brand: &Brand,
    lang: Language,
    to: &str,
    first_name: &str,
    token: &str,
    make_primary: bool,
) -> OutgoingMail {
    let values = context! {
        first_name, make_primary, new_address => to,
        confirm_url => brand.link(&format!("/profile/email/confirm/{token}")),
    };
    render(brand, lang, "email_confirm", to, values)
}

/// PRO-1 (beyond): the old primary address is told of a change — `pending` while it waits for
/// confirmation, else done. No link and no secret: whoever reads it can only be warned.
pub fn email_change_notice(
    brand: &Brand,
    lang: Language,
    to: &str,
    first_name: &str,
    new_address: &str,
    pending: bool,
) -> OutgoingMail {
    let values = context! { first_name, new_address, pending };
    render(brand, lang, "email_change_notice", to, values)
}

/// Queues `mail` on the caller's connection, normally inside the transaction of the event that
/// causes it (NOT-3), so the message exists exactly when the event was committed.
pub async fn enqueue(conn: &mut AnyConnection, mail: &OutgoingMail, now_ms: i64) -> Result<String, StoreError> {
    let message = store::NewMessage {
        recipient: &mail.to,
        subject: &mail.subject,
        text_body: &mail.text,
        html_body: &mail.html,
        template: mail.template,
    };
    store::enqueue(conn, &message, now_ms).await
}

#[cfg(test)]
mod tests {
    // covers: NOT-4
    use super::*;

    #[test]
    fn every_event_has_english_templates_and_falls_back_to_them() {
        let env = environment();
        for event in EVENTS {
            assert_eq!(folder_for(env, Language::English, event), "en");
        }
    }

    #[test]
    fn waiting_time_uses_the_largest_readable_unit() {
        assert_eq!(waiting_time(45), (45, "minute"));
        assert_eq!(waiting_time(119), (119, "minute"));
        assert_eq!(waiting_time(180), (3, "hour"));
        assert_eq!(waiting_time(3 * 24 * 60 + 5), (3, "day"));
        assert_eq!(waiting_time(-5), (0, "minute"));
    }
}
