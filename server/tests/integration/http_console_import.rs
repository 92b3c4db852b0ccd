//! CON-7 (OAA-6) over HTTP: the merchant admin's `/console/import` works as a plain multipart
//! post without JavaScript — preview lists each bad row with its line, a fixed file imports and
//! the page counts it, the same file again adds nothing — and the upload route takes files larger
//! than the app's default body limit. SQLite and PostgreSQL.

use reqwest::StatusCode;

use crate::common::{for_each_app, merchant_admin, page, text_of, upload};

const HEADER: &str = "record,external_id,first_name,last_name,email,phone,account_number,person,account,order_number,order_date,postal_code\n";

fn file(rows: &[&str]) -> String {
    rows.iter().fold(HEADER.to_owned(), |text, row| text + row + "\n")
}

// covers: CON-7, OAA-6, REG-15
#[tokio::test]
async fn a_merchant_admin_previews_fixes_imports_and_reimports_a_file_without_javascript() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        let form = page(&app, &admin, "/console/import").await;
        assert!(form.contains(r#"enctype="multipart/form-data""#), "[{label}] a plain upload form");

        let person = "person,h-1,Hal,Ito,hal@example.com,+1 415 555 0199,,,,,,";
        let account = "account,h-a1,,,,,A-HTTP01,h-1,,,,";
        let bad_order = "order,h-o1,,,,,,,h-a1,O-HTTP01,2026-02-30,94105";
        let preview = upload(&app, &admin, &file(&[person, account, bad_order]), "preview").await;
        assert_eq!(preview.status(), StatusCode::OK, "[{label}]");
        let text = text_of(&preview.text().await.unwrap());
        assert!(text.contains("1 bad row: nothing was imported"), "[{label}] {text}");
        assert!(text.contains("4The order_date \"2026-02-30\" is not a date like 2026-02-03"), "[{label}] {text}");
        let refused = upload(&app, &admin, &file(&[person, account, bad_order]), "commit").await;
        assert_eq!(refused.status(), StatusCode::OK, "[{label}]");
        assert_eq!(app.count("persons").await, 1, "[{label}] only the admin: a bad file imports nothing");

        let fixed = file(&[person, account, "order,h-o1,,,,,,,h-a1,O-HTTP01,2026-02-28,94105"]);
        let imported = text_of(&upload(&app, &admin, &fixed, "commit").await.text().await.unwrap());
        assert!(imported.contains("Imported 3 new records."), "[{label}] {imported}");
        assert!(imported.contains("Persons10"), "[{label}] {imported}");
        assert!(imported.contains("Orders10"), "[{label}] {imported}");
        assert_eq!(app.count("orders").await, 1, "[{label}]");

        let again = text_of(&upload(&app, &admin, &fixed, "commit").await.text().await.unwrap());
        assert!(again.contains("Nothing new: every row was imported before."), "[{label}] {again}");
        assert!(again.contains("Orders01"), "[{label}] {again}");
        assert_eq!(app.count("orders").await, 1, "[{label}] nothing new");
    })
    .await;
}

// covers: CON-7
#[tokio::test]
async fn the_upload_takes_a_file_larger_than_the_default_body_limit() {
    for_each_app(|app| async move {
        let label = app.label;
        let admin = merchant_admin(&app).await;
        // 3 MB (axum's default limit is 2 MB): one person, then blank lines.
        let large = file(&["person,big-1,Bo,Large,,,,,,,,"]) + &"\n".repeat(3 * 1024 * 1024);
        let response = upload(&app, &admin, &large, "preview").await;
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let text = text_of(&response.text().await.unwrap());
        assert!(text.contains("Preview: 1 new record would be imported"), "[{label}] {text}");
    })
    .await;
}
