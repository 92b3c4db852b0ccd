//! SEC-5, the tenant-isolation matrix of company administration (issue 8, item 9): every page,
//! plain post and server function of `/admin/contacts…` and `/admin/roles…`, called by
//! {the primary user of another company, a business user of the same company without the
//! permissions, an individual, nobody signed in} with {this company's ids, another company's
//! ids}. Every such call is refused: no success status, nothing changed in any table an
//! administrator can write, and nothing of the company whose ids were used in the response.
//! The same calls by the company's own primary user succeed (so the matrix cannot pass by
//! every route being broken). SQLite and PostgreSQL.

use crate::common;

use crate::isolation::{send, snapshot, Call, Ids};
use app::testing::{colleague, company, exec, one, Company};
use common::{browser, for_each_app, signed_in, TestApp, GOOD_PASSWORD};
use reqwest::{Client, StatusCode};

/// The ids of one company's records that the admin routes take, and text only this company's
/// admin pages show (a contact's name, a custom role's name).
struct Records {
    ids: Ids,
    markers: Vec<String>,
}

/// A company with a staff member (renamed to a marker), an account, a custom role and a site.
async fn company_with_records(app: &TestApp, name: &str, primary: &str, tag: &str) -> (Company, Records) {
    let state = &app.state;
    let acme = company(state, name, primary).await;
    let staff = colleague(state, &acme, &format!("{tag}.staff"), None).await;
    let person = one(state, "SELECT person_id FROM users WHERE id = $1", &[&staff]).await;
    let marker = format!("Zorro{tag}");
    exec(state, "UPDATE persons SET first_name = $1, last_name = 'Markerson' WHERE id = $2", &[&marker, &person]).await;
    let contact = one(state, "SELECT contact_id FROM users WHERE id = $1", &[&staff]).await;
    let account = one(state, "SELECT id FROM accounts WHERE organization_id = $1", &[&acme.org]).await;
    let role = app::backend::new_id();
    let role_name = format!("Role{tag}Secret");
    exec(
        state,
        "INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) VALUES ($1, NULL, $2, 'x', $3, 0, 0)",
        &[&role, &role_name, &acme.org],
    )
    .await;
    exec(state, "INSERT INTO role_permissions (role_id, permission_code) VALUES ($1, 'ORG_DETAILS')", &[&role]).await;
    let site = app::backend::new_id();
    exec(
        state,
        "INSERT INTO sites (id, key, name, required_role_id, is_active, created_at) VALUES ($1, $1, 'Site', NULL, 1, 0)",
        &[&site],
    )
    .await;
    let ids = Ids::new([
        ("{contact}", contact),
        ("{account}", account),
        ("{grantable_role}", app::testing::PRIMARY_USER_ROLE.to_owned()),
        ("{held_role}", app::testing::BUSINESS_USER_ROLE.to_owned()),
        ("{role}", role),
        ("{site}", site),
    ]);
    (acme, Records { ids, markers: vec![marker, role_name] })
}

/// Whether the call only reads.
fn reads(call: Call) -> bool {
    match call {
        Call::Page(_) => true,
        Call::Rpc(endpoint, _) => {
            !["create", "save", "register-user", "invite", "grant", "revoke", "assign", "remove", "delete"]
                .iter()
                .any(|verb| endpoint.ends_with(verb))
        }
        Call::Post(..) | Call::Json(..) | Call::Upload(..) => false,
    }
}

/// Every page, plain post and server function of company administration.
const CALLS: &[Call] = &[
    // Pages.
    Call::Page("/admin/contacts"),
    Call::Page("/admin/contacts/new"),
    Call::Page("/admin/contacts/{contact}"),
    Call::Page("/admin/contacts/{contact}/roles"),
    Call::Page("/admin/contacts/{contact}/sites"),
    Call::Page("/admin/contacts/{contact}/accounts"),
    Call::Page("/admin/contacts/{contact}/accounts/{account}/remove"),
    Call::Page("/admin/roles"),
    Call::Page("/admin/roles/new"),
    Call::Page("/admin/roles/{role}"),
    Call::Page("/admin/roles/{role}/delete"),
    // Plain posts (REG-15).
    Call::Post("/admin/contacts/new", NEW_CONTACT),
    Call::Post("/admin/contacts/{contact}", DETAILS),
    Call::Post("/admin/contacts/{contact}/user", LOGIN),
    Call::Post("/admin/contacts/{contact}/invite", &[]),
    Call::Post("/admin/contacts/{contact}/roles/{grantable_role}/grant", &[]),
    Call::Post("/admin/contacts/{contact}/roles/{held_role}/revoke", &[]),
    Call::Post("/admin/contacts/{contact}/sites/{site}/assign", &[]),
    Call::Post("/admin/contacts/{contact}/sites/{site}/remove", &[]),
    Call::Post("/admin/contacts/{contact}/accounts/{account}/assign", &[]),
    Call::Post("/admin/contacts/{contact}/accounts/{account}/remove", &[]),
    Call::Post("/admin/roles/new", ROLE),
    Call::Post("/admin/roles/{role}", ROLE),
    Call::Post("/admin/roles/{role}/delete", &[]),
    // Server functions.
    Call::Rpc("admin/contacts/list", &[("q", ""), ("status", ""), ("page", "1")]),
    Call::Rpc("admin/contacts/options", &[]),
    Call::Rpc("admin/contacts/create", NEW_CONTACT),
    Call::Rpc("admin/contacts/one", &[("id", "{contact}")]),
    Call::Rpc(
        "admin/contacts/save",
        &[
            ("id", "{contact}"),
            ("first_name", "Hijacked"),
            ("last_name", "X"),
            ("email", "h@example.com"),
            ("contact_status", "inactive"),
            ("user_status", "inactive"),
        ],
    ),
    Call::Rpc(
        "admin/contacts/register-user",
        &[
            ("id", "{contact}"),
            ("user_type", "company_business"),
            ("username", "mallory.x"),
            ("password_method", "invite"),
        ],
    ),
    Call::Rpc("admin/contacts/invite", &[("id", "{contact}")]),
    Call::Rpc("admin/contacts/roles", &[("id", "{contact}")]),
    Call::Rpc("admin/contacts/roles/grant", &[("id", "{contact}"), ("role_id", "{grantable_role}")]),
    Call::Rpc("admin/contacts/roles/revoke", &[("id", "{contact}"), ("role_id", "{held_role}")]),
    Call::Rpc("admin/contacts/sites", &[("id", "{contact}")]),
    Call::Rpc("admin/contacts/sites/assign", &[("id", "{contact}"), ("site_id", "{site}")]),
    Call::Rpc("admin/contacts/sites/remove", &[("id", "{contact}"), ("site_id", "{site}")]),
    Call::Rpc("admin/contacts/accounts", &[("id", "{contact}")]),
    Call::Rpc("admin/contacts/accounts/removal", &[("id", "{contact}"), ("account_id", "{account}")]),
    Call::Rpc("admin/contacts/accounts/assign", &[("id", "{contact}"), ("account_id", "{account}")]),
    Call::Rpc("admin/contacts/accounts/remove", &[("id", "{contact}"), ("account_id", "{account}")]),
    Call::Rpc("admin/roles/list", &[]),
    Call::Rpc("admin/roles/editor", &[("id", "{role}")]),
    Call::Rpc("admin/roles/deletion", &[("id", "{role}")]),
    Call::Rpc("admin/roles/delete", &[("id", "{role}")]),
    Call::Json("admin/roles/create", r#"{"name":"Evil","description":"","permissions":["ORG_DETAILS"]}"#),
    Call::Json("admin/roles/update", r#"{"id":"{role}","name":"Evil","description":"","permissions":["ORG_DETAILS"]}"#),
];

const NEW_CONTACT: &[(&str, &str)] = &[
    ("first_name", "Mallory"),
    ("last_name", "Intruder"),
    ("email", "mallory@example.com"),
    ("contact_status", "active"),
    ("register_as_user", "yes"),
    ("user_type", "company_business"),
    ("username", "mallory.x"),
    ("password_method", "invite"),
];
const DETAILS: &[(&str, &str)] = &[
    ("first_name", "Hijacked"),
    ("last_name", "X"),
    ("email", "h@example.com"),
    ("contact_status", "inactive"),
    ("user_status", "inactive"),
];
const LOGIN: &[(&str, &str)] =
    &[("user_type", "company_business"), ("username", "mallory.x"), ("password_method", "invite")];
const ROLE: &[(&str, &str)] = &[("name", "Evil"), ("description", ""), ("permissions", "ORG_DETAILS")];

/// Every row an administrator's change could touch.
const TABLES: &[(&str, &str)] = &[
    ("persons", "id, first_name, last_name, status, updated_at"),
    ("contacts", "id, status, job_title, updated_at"),
    ("users", "id, username, status, start_at, end_at, password_hash, must_change_password, updated_at"),
    ("user_roles", "user_id, role_id, start_at, end_at"),
    ("user_sites", "user_id, site_id"),
    ("account_assignments", "user_id, account_id, is_primary"),
    ("roles", "id, name, description"),
    ("role_permissions", "role_id, permission_code"),
    ("email_addresses", "id, address, is_primary"),
    ("phones", "id, number, is_primary"),
    ("contact_preferences", "person_id, preference, value"),
    ("password_tokens", "token_hash, used_at"),
    ("requests", "id, status, current_step"),
    ("outbox", "id"),
    ("audit_log", "id"),
];

// covers: SEC-5, ADM-1, ADM-2, ADM-3, ADM-4, ADM-5, ADM-6, ADM-7, ADM-9
#[tokio::test]
async fn no_one_but_the_company_s_own_administrator_reaches_its_administration() {
    for_each_app(|app| async move {
        let label = app.label;
        let (acme_company, acme) = company_with_records(&app, "Acme Tools", "pat.acme", "A").await;
        let (_, globex) = company_with_records(&app, "Globex", "pat.globex", "B").await;
        colleague(&app.state, &acme_company, "plain.staff", None).await;
        app.registered_elsewhere("ivy.individual").await;

        let actors: Vec<(&str, Client)> = vec![
            ("the primary user of another company", signed_in(&app, "pat.globex", GOOD_PASSWORD).await),
            ("a business user of the same company", signed_in(&app, "plain.staff", GOOD_PASSWORD).await),
            ("an individual", signed_in(&app, "ivy.individual", GOOD_PASSWORD).await),
            ("nobody signed in", browser().0),
        ];
        let before = snapshot(&app, TABLES).await;
        let mut cells = 0;
        for (actor, client) in &actors {
            for (whose, records) in [("this company's", &acme), ("another company's", &globex)] {
                // Globex's primary user with Globex's ids is Globex administering itself.
                if actor.starts_with("the primary user") && whose == "another company's" {
                    continue;
                }
                for call in CALLS {
                    let own_company = actor.starts_with("the primary user") && !call.takes_ids();
                    if own_company && !reads(*call) {
                        continue; // Globex's primary user creating in Globex is not a cell of this matrix
                    }
                    let answer = send(&app, client, *call, &records.ids).await;
                    if own_company {
                        assert_eq!(
                            answer.status,
                            StatusCode::OK,
                            "[{label}] {actor} reads their own company: {call:?}"
                        );
                    } else {
                        assert!(
                            answer.refused(),
                            "[{label}] {actor} with {whose} ids: {call:?} answered {} {}",
                            answer.status,
                            answer.location
                        );
                    }
                    for marker in &records.markers {
                        assert!(
                            !answer.body.contains(marker.as_str()),
                            "[{label}] {actor}, {call:?}: the response shows {marker}"
                        );
                    }
                    cells += 1;
                }
            }
        }
        assert_eq!(snapshot(&app, TABLES).await, before, "[{label}] a refused call changed something");
        assert!(cells >= 6 * CALLS.len(), "[{label}] the whole matrix ran: {cells} cells");

        // The control: Acme's own primary user opens every page of Acme's records.
        let owner = signed_in(&app, "pat.acme", GOOD_PASSWORD).await;
        for call in CALLS {
            if reads(*call) {
                let answer = send(&app, &owner, *call, &acme.ids).await;
                assert_eq!(answer.status, StatusCode::OK, "[{label}] the owner opens {call:?}");
                assert!(!answer.body.contains(&globex.markers[0]), "[{label}] no Globex data on {call:?}");
            }
        }
    })
    .await;
}
