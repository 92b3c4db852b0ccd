//! The address book and phone book (PRO-2): add, edit, remove, one preferred address per usage
//! (also under racing switches), removed entries never listed (REJ-4), another person's ids
//! answered like unknown ones (SEC-5), bad input changing nothing. SQLite and PostgreSQL.

use app::backend::authz::{caller, SignedIn};
use app::backend::services::contact_book::{self as book, AddressBook};
use app::backend::{AppState, ServiceError, TestClock};
use app::domain::{AddressEntry, AddressForm, AddressUsage, ConflictCode, Language, PhoneEntry, PhoneForm, PhoneKind};
use app::testing::{
    company, concurrent_databases, count_rows, for_each_database, individual_fields, migrated_state, person, register,
    set_setting, strings, T0,
};

async fn individual(state: &AppState, username: &str) -> SignedIn {
    let user =
        register(state, "individual", &person(username, "Ann"), Language::English).await.expect("register").user_id;
    me(state, &user).await
}

async fn me(state: &AppState, user_id: &str) -> SignedIn {
    caller(state, user_id).await.expect("caller").signed_in().expect("signed in")
}

fn address(line1: &str, usages: &[&str]) -> AddressEntry {
    AddressForm {
        address_line1: line1.into(),
        city: "Springfield".into(),
        postal_code: "12345".into(),
        country: "US".into(),
        usages: usages.iter().map(|u| (*u).to_owned()).collect(),
        ..Default::default()
    }
    .validate()
    .expect("a valid address")
}

/// The book as (line 1, [(usage, preferred)]), newest first.
async fn listed(state: &AppState, me: &SignedIn) -> Vec<(String, Vec<(AddressUsage, bool)>)> {
    book::address_book(state, AddressBook::Person(me))
        .await
        .expect("book")
        .into_iter()
        .map(|a| (a.address.line1, a.usages))
        .collect()
}

/// How many addresses are preferred for `usage` in the person's book.
async fn preferred_count(state: &AppState, me: &SignedIn, usage: AddressUsage) -> usize {
    listed(state, me).await.iter().filter(|(_, usages)| usages.contains(&(usage, true))).count()
}

// covers: PRO-2
#[tokio::test]
async fn addresses_are_added_edited_and_the_first_per_usage_is_preferred() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let ann = individual(&state, "ann.lee").await;
        let home =
            book::add_address(&state, AddressBook::Person(&ann), &address("1 Home St", &["billing", "shipping"]))
                .await
                .expect("add home");
        clock.advance_ms(1);
        book::add_address(&state, AddressBook::Person(&ann), &address("2 Work Ave", &["shipping"])).await.expect("add");
        let list = listed(&state, &ann).await;
        assert_eq!(list[0].0, "2 Work Ave", "[{label}] newest first");
        assert_eq!(list[0].1, vec![(AddressUsage::Shipping, false)], "[{label}]");
        assert_eq!(list[1].1, vec![(AddressUsage::Billing, true), (AddressUsage::Shipping, true)], "[{label}]");

        book::edit_address(&state, AddressBook::Person(&ann), &home, &address("1 Home Street", &["billing"]))
            .await
            .expect("edit");
        let list = listed(&state, &ann).await;
        assert_eq!(list[1].0, "1 Home Street", "[{label}]");
        assert_eq!(
            list[0].1,
            vec![(AddressUsage::Shipping, true)],
            "[{label}] losing its shipping usage, home hands the preference to the other shipping address"
        );
    })
    .await;
}

// covers: PRO-2
#[tokio::test]
async fn switching_the_preferred_billing_address_leaves_exactly_one() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = individual(&state, "ann.lee").await;
        let first =
            book::add_address(&state, AddressBook::Person(&ann), &address("1 Home St", &["billing"])).await.unwrap();
        let second =
            book::add_address(&state, AddressBook::Person(&ann), &address("2 Work Ave", &["billing"])).await.unwrap();
        for (id, expected) in [(&second, "2 Work Ave"), (&first, "1 Home St"), (&second, "2 Work Ave")] {
            book::prefer_address(&state, AddressBook::Person(&ann), id, AddressUsage::Billing).await.expect("prefer");
            assert_eq!(preferred_count(&state, &ann, AddressUsage::Billing).await, 1, "[{label}]");
            let list = listed(&state, &ann).await;
            let preferred = list.iter().find(|(_, u)| u.contains(&(AddressUsage::Billing, true))).unwrap();
            assert_eq!(preferred.0, expected, "[{label}]");
        }
        let not_shipping =
            book::prefer_address(&state, AddressBook::Person(&ann), &first, AddressUsage::Shipping).await;
        assert!(matches!(not_shipping, Err(ServiceError::NotFound)), "[{label}] {not_shipping:?}");
    })
    .await;
}

// covers: PRO-2
#[tokio::test]
async fn racing_switches_leave_one_preferred_address() {
    for db in concurrent_databases().await {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = individual(&state, "ann.lee").await;
        let mut ids = Vec::new();
        for line in ["1 A St", "2 B St", "3 C St", "4 D St"] {
            ids.push(book::add_address(&state, AddressBook::Person(&ann), &address(line, &["billing"])).await.unwrap());
        }
        let racers = ids.iter().cycle().take(12).map(|id| {
            let (state, ann, id) = (state.clone(), ann.clone(), id.clone());
            tokio::spawn(async move {
                book::prefer_address(&state, AddressBook::Person(&ann), &id, AddressUsage::Billing).await
            })
        });
        for racer in racers.collect::<Vec<_>>() {
            match racer.await.expect("task") {
                Ok(()) | Err(ServiceError::Conflict(ConflictCode::AlreadyDecided)) => {}
                Err(other) => panic!("[{label}] a racing switch failed: {other:?}"),
            }
        }
        assert_eq!(preferred_count(&state, &ann, AddressUsage::Billing).await, 1, "[{label}]");
    }
}

// covers: PRO-2, REJ-4
#[tokio::test]
async fn a_removed_address_is_never_listed_and_its_preference_moves_on() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let ann = individual(&state, "ann.lee").await;
        let old =
            book::add_address(&state, AddressBook::Person(&ann), &address("1 Old St", &["billing"])).await.unwrap();
        clock.advance_ms(1);
        let newer =
            book::add_address(&state, AddressBook::Person(&ann), &address("2 New St", &["billing"])).await.unwrap();
        book::remove_address(&state, AddressBook::Person(&ann), &old).await.expect("remove");
        let list = listed(&state, &ann).await;
        assert_eq!(list, vec![("2 New St".to_owned(), vec![(AddressUsage::Billing, true)])], "[{label}]");
        let again = book::address(&state, AddressBook::Person(&ann), &old).await;
        assert!(matches!(again, Err(ServiceError::NotFound)), "[{label}] a removed address is not offered");
        let twice = book::remove_address(&state, AddressBook::Person(&ann), &old).await;
        assert!(matches!(twice, Err(ServiceError::NotFound)), "[{label}]");
        book::remove_address(&state, AddressBook::Person(&ann), &newer).await.expect("remove the last");
        assert!(listed(&state, &ann).await.is_empty(), "[{label}] none left, none preferred");
        let statuses = strings(&state, "SELECT status FROM addresses WHERE person_id = $1", &[ann.person_id()]).await;
        assert_eq!(statuses, ["inactive", "inactive"], "[{label}] removed means inactive, kept for history");
    })
    .await;
}

// covers: PRO-2, SEC-5
#[tokio::test]
async fn another_persons_address_and_phone_are_not_found_and_unchanged() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let ann = individual(&state, "ann.lee").await;
        let bob = individual(&state, "bob.ray").await;
        let anns =
            book::add_address(&state, AddressBook::Person(&ann), &address("1 Ann St", &["billing"])).await.unwrap();
        let bobs = AddressBook::Person(&bob);
        let answers = [
            format!("{:?}", book::address(&state, bobs, &anns).await.err()),
            format!("{:?}", book::edit_address(&state, bobs, &anns, &address("Hijacked", &[])).await.err()),
            format!("{:?}", book::remove_address(&state, bobs, &anns).await.err()),
            format!("{:?}", book::prefer_address(&state, bobs, &anns, AddressUsage::Billing).await.err()),
        ];
        for answer in answers {
            assert_eq!(answer, "Some(NotFound)", "[{label}] exactly like an unknown id");
        }
        assert_eq!(listed(&state, &ann).await, vec![("1 Ann St".to_owned(), vec![(AddressUsage::Billing, true)])]);
        assert!(listed(&state, &bob).await.is_empty(), "[{label}]");

        let phone =
            PhoneEntry { phone: app::domain::Phone::parse("+1 415 555 0100").unwrap(), kind: PhoneKind::Personal };
        let anns_phone = book::add_phone(&state, &ann, &phone).await.unwrap();
        assert!(matches!(book::remove_phone(&state, &bob, &anns_phone).await, Err(ServiceError::NotFound)));
        assert!(matches!(book::prefer_phone(&state, &bob, &anns_phone).await, Err(ServiceError::NotFound)));
        assert_eq!(book::phone_book(&state, &ann).await.unwrap().len(), 1, "[{label}] Ann's phone is still there");
    })
    .await;
}

// covers: PRO-2, REG-14
#[tokio::test]
async fn bad_input_is_refused_next_to_its_fields_and_changes_nothing() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        individual(&state, "ann.lee").await;
        let before = (count_rows(&state.db, "addresses").await, count_rows(&state.db, "phones").await);
        let errors = AddressForm { country: "XX".into(), usages: vec!["gift".into()], ..Default::default() }
            .validate()
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address_line1", "city", "postal_code", "country", "usages"], "[{label}]");
        let errors = PhoneForm { number: "call me".into(), kind: "fax".into() }.validate().unwrap_err();
        assert_eq!(errors.len(), 2, "[{label}]");
        let after = (count_rows(&state.db, "addresses").await, count_rows(&state.db, "phones").await);
        assert_eq!(before, after, "[{label}] nothing was written");
    })
    .await;
}

// covers: PRO-2
#[tokio::test]
async fn the_phone_book_keeps_one_primary_number() {
    for_each_database(|db| async move {
        let label = db.label;
        let clock = TestClock::at(T0);
        let state = migrated_state(&db.url, clock.clone()).await;
        let mut fields = individual_fields("ann.lee");
        fields.insert("phone".into(), "+1 415 555 0100".into());
        let user = register(&state, "individual", &fields, Language::English).await.unwrap().user_id;
        let ann = me(&state, &user).await;
        let entry = |n: &str, kind| PhoneEntry { phone: app::domain::Phone::parse(n).unwrap(), kind };
        clock.advance_ms(1);
        let work = book::add_phone(&state, &ann, &entry("+1 415 555 0199", PhoneKind::Business)).await.unwrap();
        let primaries = |list: Vec<app::backend::store::phones::StoredPhone>| {
            list.into_iter().filter(|p| p.is_primary).map(|p| p.number).collect::<Vec<_>>()
        };
        assert_eq!(primaries(book::phone_book(&state, &ann).await.unwrap()), ["+1 415 555 0100"], "[{label}]");
        book::prefer_phone(&state, &ann, &work).await.expect("prefer");
        assert_eq!(primaries(book::phone_book(&state, &ann).await.unwrap()), ["+1 415 555 0199"], "[{label}]");
        book::edit_phone(&state, &ann, &work, &entry("+1 415 555 0198", PhoneKind::Business)).await.expect("edit");
        book::remove_phone(&state, &ann, &work).await.expect("remove");
        assert_eq!(
            primaries(book::phone_book(&state, &ann).await.unwrap()),
            ["+1 415 555 0100"],
            "[{label}] the remaining number becomes primary"
        );
    })
    .await;
}

// covers: REG-10, PRO-2
#[tokio::test]
async fn a_mandated_business_phone_cannot_be_removed_by_a_business_user() {
    for_each_database(|db| async move {
        let label = db.label;
        let state = migrated_state(&db.url, TestClock::at(T0)).await;
        let acme = company(&state, "Acme Tools", "pat.owner").await;
        let pat = me(&state, &acme.primary).await;
        let work =
            PhoneEntry { phone: app::domain::Phone::parse("+1 415 555 0111").unwrap(), kind: PhoneKind::Business };
        let id = book::add_phone(&state, &pat, &work).await.unwrap();
        set_setting(&state, "mandate_business_phone", "true").await;
        let refused = book::remove_phone(&state, &pat, &id).await;
        assert!(
            matches!(refused, Err(ServiceError::Conflict(ConflictCode::BusinessPhoneRequired))),
            "[{label}] {refused:?}"
        );
        let personal = PhoneEntry { kind: PhoneKind::Personal, ..work.clone() };
        assert!(book::edit_phone(&state, &pat, &id, &personal).await.is_err(), "[{label}]");
        assert_eq!(book::phone_book(&state, &pat).await.unwrap()[0].kind, PhoneKind::Business, "[{label}]");
        set_setting(&state, "mandate_business_phone", "false").await;
        book::remove_phone(&state, &pat, &id).await.expect("allowed once the setting is off");
    })
    .await;
}
