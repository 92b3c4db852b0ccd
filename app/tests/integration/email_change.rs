//! E-mail addresses (PRO-1, PRO-2): a new address is stored only once the link sent to it is
//! followed — by the user who asked, once, within 24 hours — the old address is told, and
//! forgot-login (LOG-4) never finds an address nobody proved to hold.

use app::backend::clock::HOUR_MS;
use app::backend::services::email_addresses::{
    confirm_email, confirmation_for, email_book, make_primary, remove_email,
};
use app::backend::services::profile::profile;
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::ConflictCode;
use app::testing::{
    add_email, addresses_of, change_password, confirmation_token, count_rows, for_each_database, forgot, mails,
    migrated_state, profile_fields, save_profile, signed_in_person, strings, GOOD_PASSWORD, T0,
};

const NEW: &str = "ann.new@example.com";
const OLD: &str = "ann.lee@example.com";

fn dead(result: Result<impl std::fmt::Debug, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::NotFound))
}

async fn text_to(state: &AppState, template: &str, to: &str) -> String {
    let sql = "SELECT text_body FROM outbox WHERE template = $1 AND recipient = $2 ORDER BY created_at, id";
    strings(state, sql, &[template, to]).await.pop().unwrap_or_else(|| panic!("no {template} to {to}"))
}

// covers: PRO-1, LOG-4, SEC-7
#[tokio::test]
async fn a_new_address_changes_nothing_until_its_link_is_followed() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let next = save_profile(&state, &ann, &profile_fields("Ann", NEW, "")).await.unwrap();
        assert_eq!(next, "/profile?notice=confirmation_sent", "[{label}]");
        let now = profile(&state, &ann).await.unwrap();
        assert_eq!(now.email, OLD, "[{label}] still the old primary address");
        assert_eq!(now.pending_email.as_deref(), Some(NEW), "[{label}] the page says a link was sent");
        assert_eq!(addresses_of(&state, &ann).await, [(OLD.to_owned(), true)], "[{label}] nothing stored yet");

        assert_eq!(mails(&state, "email_confirm").await, [NEW], "[{label}] the link goes to the new address");
        assert_eq!(mails(&state, "email_change_notice").await, [OLD], "[{label}] the old address is told");
        let notice = text_to(&state, "email_change_notice", OLD).await;
        assert!(
            notice.contains(NEW) && !notice.contains("/confirm/"),
            "[{label}] no link to the old address: {notice}"
        );
        let token = confirmation_token(&state, NEW).await;
        assert!(token.len() >= 22, "[{label}] at least 128 random bits: {token}");
        let stored = strings(&state, "SELECT token_hash FROM email_confirmations", &[]).await;
        assert!(!stored.contains(&token), "[{label}] only the link's hash is stored");
        assert!(!text_to(&state, "email_confirm", NEW).await.contains(GOOD_PASSWORD), "[{label}]");

        // LOG-4: an address nobody has confirmed finds no login.
        assert_eq!(forgot(&state, "", NEW).await.unwrap(), 0, "[{label}] unconfirmed finds nothing");

        assert_eq!(confirmation_for(&state, &ann, &token).await.unwrap().as_deref(), Some(NEW), "[{label}]");
        confirm_email(&state, &ann, &token).await.unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        let stored = addresses_of(&state, &ann).await;
        assert_eq!(stored, [(NEW.to_owned(), true), (OLD.to_owned(), false)], "[{label}] OAA-4: the old one kept");
        assert_eq!(profile(&state, &ann).await.unwrap().pending_email, None, "[{label}]");
        let audit =
            strings(&state, "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY at, id", &[ann.person_id()])
                .await;
        assert!(audit.contains(&"person.email_confirmed".to_owned()), "[{label}] {audit:?}");
        assert!(audit.contains(&"person.primary_email_changed".to_owned()), "[{label}] {audit:?}");

        assert!(dead(confirm_email(&state, &ann, &token).await), "[{label}] a link works once");
        assert_eq!(confirmation_for(&state, &ann, &token).await.unwrap(), None, "[{label}]");
        assert_eq!(forgot(&state, "", NEW).await.unwrap(), 1, "[{label}] confirmed, it finds the login");
    })
    .await;
}

// covers: PRO-1
#[tokio::test]
async fn a_link_expires_after_24_hours_and_one_followed_link_ends_the_others() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        save_profile(&state, &ann, &profile_fields("Ann", "first@example.com", "")).await.unwrap();
        let expired = confirmation_token(&state, "first@example.com").await;
        clock.advance_ms(24 * HOUR_MS);
        assert!(dead(confirm_email(&state, &ann, &expired).await), "[{label}] expired at 24 hours");
        assert_eq!(profile(&state, &ann).await.unwrap().email, OLD, "[{label}] nothing changed");

        save_profile(&state, &ann, &profile_fields("Ann", "second@example.com", "")).await.unwrap();
        add_email(&state, &ann, "third@example.com").await.unwrap();
        let second = confirmation_token(&state, "second@example.com").await;
        let third = confirmation_token(&state, "third@example.com").await;
        confirm_email(&state, &ann, &third).await.unwrap();
        assert!(dead(confirm_email(&state, &ann, &second).await), "[{label}] the other link was invalidated");
        let stored = addresses_of(&state, &ann).await;
        assert_eq!(stored, [(OLD.to_owned(), true), ("third@example.com".to_owned(), false)], "[{label}]");
    })
    .await;
}

// covers: PRO-1, SEC-5
#[tokio::test]
async fn a_link_is_only_for_the_user_who_asked_and_a_password_change_cancels_it() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let bob = signed_in_person(&state, "bob.lee", "Bob").await;
        save_profile(&state, &ann, &profile_fields("Ann", NEW, "")).await.unwrap();
        let token = confirmation_token(&state, NEW).await;
        assert_eq!(confirmation_for(&state, &bob, &token).await.unwrap(), None, "[{label}] not Bob's");
        assert!(dead(confirm_email(&state, &bob, &token).await), "[{label}] Bob cannot use it");
        assert_eq!(addresses_of(&state, &bob).await, [("bob.lee@example.com".to_owned(), true)], "[{label}]");
        assert!(confirmation_for(&state, &ann, &token).await.unwrap().is_some(), "[{label}] still live for Ann");

        let new_password = "violet anchor trumpet 42";
        change_password(&state, ann.user_id(), GOOD_PASSWORD, new_password, new_password).await.unwrap();
        assert!(dead(confirm_email(&state, &ann, &token).await), "[{label}] the password change cancelled it");
        assert_eq!(profile(&state, &ann).await.unwrap().email, OLD, "[{label}]");
    })
    .await;
}

// covers: PRO-2, OAA-4
#[tokio::test]
async fn addresses_are_added_made_primary_and_removed_but_never_the_primary_one() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        add_email(&state, &ann, "work@example.com").await.unwrap();
        assert_eq!(addresses_of(&state, &ann).await.len(), 1, "[{label}] stored only once confirmed");
        assert!(mails(&state, "email_change_notice").await.is_empty(), "[{label}] adding is no primary change");
        let waiting = email_book(&state, &ann).await.unwrap().waiting;
        assert_eq!(waiting, [("work@example.com".to_owned(), false)], "[{label}]");
        confirm_email(&state, &ann, &confirmation_token(&state, "work@example.com").await).await.unwrap();
        let again = add_email(&state, &ann, "WORK@example.com").await;
        assert!(matches!(again, Err(ServiceError::Validation(_))), "[{label}] already one of hers: {again:?}");

        let book = email_book(&state, &ann).await.unwrap().stored;
        let (old, work) = (book[0].id.clone(), book[1].id.clone());
        assert!(
            matches!(remove_email(&state, &ann, &old).await, Err(ServiceError::Conflict(ConflictCode::PrimaryEmail))),
            "[{label}] the primary address cannot be removed"
        );
        make_primary(&state, &ann, &work).await.unwrap();
        assert_eq!(mails(&state, "email_change_notice").await, [OLD], "[{label}] the old primary is told");
        remove_email(&state, &ann, &old).await.unwrap();
        assert_eq!(addresses_of(&state, &ann).await, [("work@example.com".to_owned(), true)], "[{label}]");
        assert_eq!(forgot(&state, "", OLD).await.unwrap(), 0, "[{label}] a removed address finds nothing");
    })
    .await;
}

// covers: PRO-2, SEC-5
#[tokio::test]
async fn nobody_can_touch_another_persons_address_by_id() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let bob = signed_in_person(&state, "bob.lee", "Bob").await;
        add_email(&state, &ann, "work@example.com").await.unwrap();
        confirm_email(&state, &ann, &confirmation_token(&state, "work@example.com").await).await.unwrap();
        let ids = email_book(&state, &ann).await.unwrap().stored;
        let before = count_rows(&state.db, "email_addresses").await;
        for entry in &ids {
            assert!(dead(remove_email(&state, &bob, &entry.id).await), "[{label}] remove");
            assert!(dead(make_primary(&state, &bob, &entry.id).await), "[{label}] make primary");
        }
        assert_eq!(count_rows(&state.db, "email_addresses").await, before, "[{label}] nothing removed");
        assert_eq!(addresses_of(&state, &ann).await[0], (OLD.to_owned(), true), "[{label}] nothing changed");
    })
    .await;
}
