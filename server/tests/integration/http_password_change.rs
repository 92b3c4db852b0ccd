//! Password change over HTTP (LOG-6) shares sign-in's per-address limit (SEC-4): a signed-in
//! browser cannot flood argon2 or guess the current password from one address.

use crate::common;

use common::{for_each_app, GOOD_PASSWORD};
use reqwest::{header, StatusCode};

const NEW_PASSWORD: &str = "violet anchor trumpet 42";

// covers: SEC-4, LOG-6
#[tokio::test]
async fn password_changes_from_one_address_run_out_of_the_sign_in_budget() {
    for_each_app(|app| async move {
        let label = app.label;
        assert_eq!(app.register("ann.lee").await.status(), StatusCode::SEE_OTHER, "[{label}] registration");
        assert_eq!(app.sign_in("ann.lee", GOOD_PASSWORD).await.status(), StatusCode::SEE_OTHER, "[{label}]");
        let form = [
            ("current_password", "not the password at all"),
            ("new_password", NEW_PASSWORD),
            ("new_password_confirm", NEW_PASSWORD),
        ];
        let mut statuses = Vec::new();
        for attempt in 0..12 {
            let response = if attempt % 2 == 0 {
                app.post_form("/password/change", &form).await
            } else {
                app.client
                    .post(app.url("/rpc/auth/change_password"))
                    .header(header::ORIGIN, app.origin())
                    .header(header::ACCEPT, "application/json")
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            };
            statuses.push(response.status());
        }
        // The sign-in took one of the ten the burst allows.
        let limited = statuses.iter().position(|s| *s == StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited, Some(9), "[{label}] {statuses:?}");
        assert!(statuses[9..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "[{label}] {statuses:?}");
    })
    .await;
}
