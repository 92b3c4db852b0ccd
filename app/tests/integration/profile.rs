//! Personal information and Preferences (PRO-1, PRO-4, REG-11, NOT-4): what a save changes at
//! once, that a refused form changes nothing, and the opt-in's history.

use app::backend::services::profile::{preferences, profile};
use app::backend::{ServiceError, TestClock};
use app::domain::Language;
use app::testing::{
    count_rows, for_each_database, mails, migrated_state, profile_fields, save_preferences, save_profile,
    signed_in_person, strings, T0,
};

fn fields_of(result: Result<impl std::fmt::Debug, ServiceError>) -> Vec<String> {
    match result {
        Err(ServiceError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

// covers: PRO-1
#[tokio::test]
async fn names_phone_and_language_apply_at_once_with_an_audit_row() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let before = profile(&state, &ann).await.unwrap();
        assert_eq!((before.first_name.as_str(), before.email.as_str()), ("Ann", "ann.lee@example.com"), "[{label}]");

        let next = save_profile(&state, &ann, &profile_fields(" Annie ", "ann.lee@example.com", "+1 415 555 0199"))
            .await
            .unwrap_or_else(|e| panic!("[{label}] {e:?}"));
        assert_eq!(next, "/profile?notice=saved", "[{label}]");
        let after = profile(&state, &ann).await.unwrap();
        assert_eq!(after.first_name, "Annie", "[{label}] trimmed and stored");
        assert_eq!(after.phone, "+1 415 555 0199", "[{label}]");
        assert_eq!(after.language, Language::English, "[{label}]");
        assert_eq!(after.email, "ann.lee@example.com", "[{label}] the same address is no change");
        assert_eq!(after.pending_email, None, "[{label}]");
        let audit = strings(&state, "SELECT action FROM audit_log WHERE subject_id = $1", &[ann.person_id()]).await;
        assert_eq!(audit, ["person.profile_updated"], "[{label}]");
        assert!(mails(&state, "email_confirm").await.is_empty(), "[{label}] no mail for an unchanged address");

        // A blank phone removes it (it is optional, REG-5).
        save_profile(&state, &ann, &profile_fields("Annie", "ANN.LEE@example.com", "")).await.unwrap();
        assert_eq!(profile(&state, &ann).await.unwrap().phone, "", "[{label}]");
        assert_eq!(profile(&state, &ann).await.unwrap().email, "ann.lee@example.com", "[{label}] case is no change");
    })
    .await;
}

// covers: PRO-1, REG-14
#[tokio::test]
async fn a_refused_form_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let (outbox, audit) = (count_rows(&state.db, "outbox").await, count_rows(&state.db, "audit_log").await);
        let bad =
            [("first_name", ""), ("last_name", "Lee"), ("email", "new@"), ("phone", "call me"), ("language", "xx")];
        let mut refused = fields_of(save_profile(&state, &ann, &bad).await);
        refused.sort();
        assert_eq!(refused, ["email", "first_name", "language", "phone"], "[{label}] every problem at once");
        // One bad field refuses the valid ones too: nothing half-saved.
        let one_bad = [
            ("first_name", "Zed"),
            ("last_name", "Lee"),
            ("email", "zed@example.com"),
            ("phone", "x"),
            ("language", "en"),
        ];
        assert_eq!(fields_of(save_profile(&state, &ann, &one_bad).await), ["phone"], "[{label}]");
        let now = profile(&state, &ann).await.unwrap();
        assert_eq!((now.first_name.as_str(), now.email.as_str()), ("Ann", "ann.lee@example.com"), "[{label}]");
        assert_eq!(now.pending_email, None, "[{label}] no confirmation was asked for");
        assert_eq!(count_rows(&state.db, "outbox").await, outbox, "[{label}] no mail");
        assert_eq!(count_rows(&state.db, "audit_log").await, audit, "[{label}] no audit row");
        assert_eq!(count_rows(&state.db, "email_confirmations").await, 0, "[{label}]");
    })
    .await;
}

// covers: PRO-4, REG-11, NOT-4
#[tokio::test]
async fn the_opt_in_is_kept_with_its_history_from_the_profile() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = signed_in_person(&state, "ann.lee", "Ann").await;
        let start = preferences(&state, &ann).await.unwrap();
        assert!(!start.marketing_opt_in, "[{label}] unchecked at registration means opted out");
        assert_eq!(start.history.len(), 1, "[{label}] the registration's choice");
        assert_eq!(start.history[0].source, "registration", "[{label}]");

        save_preferences(&state, &ann, &[("marketing_opt_in", "on"), ("language", "en")]).await.unwrap();
        let opted = preferences(&state, &ann).await.unwrap();
        assert!(opted.marketing_opt_in, "[{label}]");
        let last = opted.history.last().unwrap();
        assert_eq!((last.value.as_str(), last.source.as_str()), ("opted_in", "profile"), "[{label}]");
        assert_eq!(last.changed_by.as_deref(), Some(ann.user_id()), "[{label}] by whom");
        assert_eq!(last.changed_at, T0, "[{label}] when, on the app clock");

        save_preferences(&state, &ann, &[("marketing_opt_in", "on"), ("language", "en")]).await.unwrap();
        assert_eq!(preferences(&state, &ann).await.unwrap().history.len(), 2, "[{label}] no change, no history");
        save_preferences(&state, &ann, &[("language", "en")]).await.unwrap();
        let out = preferences(&state, &ann).await.unwrap();
        assert!(!out.marketing_opt_in, "[{label}] an unchecked box opts out");
        assert_eq!(out.history.len(), 3, "[{label}]");
        let language = strings(&state, "SELECT language FROM persons WHERE id = $1", &[ann.person_id()]).await;
        assert_eq!(language, ["en"], "[{label}] the notification language");

        let refused = save_preferences(&state, &ann, &[("marketing_opt_in", "on"), ("language", "fr")]).await;
        assert_eq!(fields_of(refused), ["language"], "[{label}] only shipped languages");
        assert!(!preferences(&state, &ann).await.unwrap().marketing_opt_in, "[{label}] nothing saved");
    })
    .await;
}
