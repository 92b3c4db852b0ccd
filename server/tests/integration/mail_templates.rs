//! Mail templates (NOT-1, NOT-4, SEC-7): every event renders completely in text and HTML,
//! escapes what users choose, carries its links and facts, and can never show a password. The
//! delivery of these messages is in mail_delivery.rs.

use std::collections::BTreeSet;

use app::backend::mail::{self, Brand, OutgoingMail};
use app::backend::settings::Settings;
use app::domain::Language;

fn brand() -> Brand {
    Brand::new(&Settings::default(), "https://shop.example/")
}

/// One message of every NOT-1 event, with markup in every name a user can choose.
fn every_message(name: &str) -> Vec<OutgoingMail> {
    let (b, en, to) = (brand(), Language::English, "someone@example.test");
    let links = [
        ("first.user".to_owned(), "https://shop.example/password/reset/tok1".to_owned()),
        ("second.user".to_owned(), "https://shop.example/password/reset/tok2".to_owned()),
    ];
    vec![
        mail::registration_received(&b, en, to, name, "new.user", true, None),
        mail::registration_received(&b, en, to, name, "new.user", false, Some("R-NEW001")),
        mail::approval_needed(&b, en, to, name, name, "req.user", "Company Employee", Some(name)),
        mail::approval_needed(&b, en, to, name, name, "req.user", "Individual", None),
        mail::approved(&b, en, to, name, "new.user", Some("R-NEW001")),
        mail::approved(&b, en, to, name, "new.user", None),
        mail::rejected(&b, en, to, name, Some(name)),
        mail::rejected(&b, en, to, name, None),
        mail::approval_reminder(&b, en, to, name, name, 185),
        mail::enrollment_approved(&b, en, to, name, name, "Wholesale pricing"),
        mail::user_created(&b, en, to, name, "new.user", Some("https://shop.example/password/reset/tok3")),
        mail::user_created(&b, en, to, name, "new.user", None),
        mail::forgot_login(&b, en, to, &links),
        mail::forgot_login(&b, en, to, &[]),
        mail::email_confirm(&b, en, to, name, "tok4", true),
        mail::email_confirm(&b, en, to, name, "tok5", false),
        mail::email_change_notice(&b, en, to, name, "new@example.test", true),
        mail::email_change_notice(&b, en, to, name, "new@example.test", false),
    ]
}

// covers: NOT-1, NOT-4, SEC-7
#[test]
fn every_template_renders_completely_and_escapes_html() {
    let evil = "<script>alert(1)</script>";
    let messages = every_message(evil);
    let events: BTreeSet<&str> = messages.iter().map(|m| m.template).collect();
    assert_eq!(events, mail::EVENTS.iter().copied().collect(), "every NOT-1 event is covered");
    for message in &messages {
        for part in [&message.subject, &message.text, &message.html] {
            assert!(
                !part.contains("{{") && !part.contains("{%") && !part.contains("}}"),
                "{}: {part}",
                message.template
            );
            assert!(!part.contains("none") && !part.contains("undefined"), "{}: {part}", message.template);
        }
        assert!(!message.subject.contains('\n') && !message.subject.is_empty());
        assert!(!message.html.contains("<script>"), "{}: HTML must escape names", message.template);
        assert!(message.html.contains(r#"<html lang="en">"#));
        // Forgot-login mail greets no one by name; every other one shows a chosen name.
        if message.template != "forgot_login" {
            assert!(message.html.contains("&lt;script&gt;"), "{}", message.template);
            assert!(message.text.contains(evil), "{}: the text part is not HTML", message.template);
        }
        for fact in ["Gatehouse Store", "support@gatehouse.example"] {
            assert!(message.text.contains(fact) && message.html.contains(fact), "{}", message.template);
        }
    }
}

// covers: NOT-1, PRO-1, PRO-2
#[test]
fn messages_carry_their_links_and_facts_in_both_parts() {
    let m = every_message("Dana");
    let both = |i: usize, fact: &str| {
        assert!(m[i].text.contains(fact), "text of {} lacks {fact}", m[i].template);
        assert!(m[i].html.contains(fact), "HTML of {} lacks {fact}", m[i].template);
    };
    assert!(!m[0].text.contains("https://shop.example/login"), "approval required: no sign-in yet");
    both(1, "https://shop.example/login");
    both(1, "R-NEW001");
    both(2, "https://shop.example/admin/approvals");
    both(2, "Company Employee");
    both(4, "R-NEW001");
    both(6, "Dana");
    both(8, "3 hours");
    both(10, "https://shop.example/password/reset/tok3");
    for fact in ["first.user", "second.user", "reset/tok1", "reset/tok2", "60 minutes"] {
        both(12, fact);
    }
    both(13, "https://shop.example/register");
    // PRO-1: the link goes to the new address only; the notice to the old one carries none.
    for fact in ["https://shop.example/profile/email/confirm/tok4", "24 hours", "someone@example.test"] {
        both(14, fact);
    }
    both(15, "https://shop.example/profile/email/confirm/tok5");
    for i in [16, 17] {
        both(i, "new@example.test");
        assert!(!m[i].text.contains("/confirm/") && !m[i].html.contains("/confirm/"), "{}", m[i].template);
    }
    both(16, "24 hours");
}

// covers: SEC-7
#[test]
fn no_template_can_show_a_password() {
    for folder in mail::TEMPLATE_SOURCES {
        for (name, source) in folder.iter() {
            for expression in source.split("{{").skip(1) {
                let variable = expression.split("}}").next().unwrap_or_default().to_ascii_lowercase();
                let printed = variable.replace("set_password_link", "");
                assert!(!printed.contains("password") && !printed.contains("secret"), "{name} prints {variable}");
            }
        }
    }
}
