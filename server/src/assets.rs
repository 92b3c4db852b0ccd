//! The site's compiled files (`/pkg/…`): their names come from `app::assets`; here, which of them
//! a browser may keep forever (a content-hashed name: a new build is a new name).

pub use app::assets::{hashed, stylesheet_href};

/// A file under `/pkg/` whose name carries a content hash: `name.<22 base64url chars>.ext`
/// (cargo-leptos: the MD5 of the content, unpadded base64url), possibly precompressed.
pub fn is_content_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else { return false };
    name.split('.')
        .any(|part| part.len() == 22 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// A page the server answers without rendering the app (a refusal before any handler, or an
/// action that failed where no page of its own can show it): the site's stylesheet, a heading
/// and the message in an alert, and a way home. `message` is the server's own text.
pub fn plain_page(title: &str, message: &str) -> String {
    let stylesheet = stylesheet_href();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Gatehouse</title>\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main id=\"main\"><section class=\"panel\">\
         <h1>{title}</h1><p role=\"alert\">{message}</p><p><a href=\"/\">Go to the home page</a></p>\
         </section></main></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    // covers: SEC-6
    #[test]
    fn only_hashed_compiled_files_are_recognised_as_immutable() {
        assert!(is_content_hashed("/pkg/gatehouse.2Wq6Tf_0b-Kd3mZ9xYv1Aa.wasm"));
        assert!(is_content_hashed("/pkg/gatehouse.2Wq6Tf_0b-Kd3mZ9xYv1Aa.js"));
        assert!(!is_content_hashed("/pkg/gatehouse.css"));
        assert!(!is_content_hashed("/pkg/gatehouse_bg.wasm"));
        assert!(!is_content_hashed("/register.2Wq6Tf_0b-Kd3mZ9xYv1Aa.css"));
    }
}
