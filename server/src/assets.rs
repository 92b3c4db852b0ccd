//! The site's compiled files (`/pkg/…`) as cargo-leptos named them. With `hash-files` (the
//! release build) each name carries its content's hash — `gatehouse.<hash>.wasm` — listed in
//! `hash.txt` beside the executable, so a browser may keep them forever: a new build is a new
//! name. A build without hashes (the tests' plain `cargo build`) keeps the plain names.

use std::path::PathBuf;
use std::sync::OnceLock;

/// Where cargo-leptos writes the hashes: beside the executable (Leptos reads them there too).
fn hash_file() -> Option<PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join("hash.txt"))
}

/// The `kind: hash` lines of the hash file (`js`, `wasm`, `css`), read once.
fn hashes() -> &'static [(String, String)] {
    static HASHES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    HASHES.get_or_init(|| {
        let text = hash_file().and_then(|path| std::fs::read_to_string(path).ok()).unwrap_or_default();
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim().to_owned(), hash.trim().to_owned()))
            .collect()
    })
}

/// Whether this build's files carry content hashes (Leptos then asks for the hashed names).
pub fn hashed() -> bool {
    !hashes().is_empty()
}

/// The stylesheet's URL (also for pages rendered outside Leptos, like the 429 page).
pub fn stylesheet_href() -> String {
    match hashes().iter().find(|(kind, _)| kind == "css") {
        Some((_, hash)) => format!("/pkg/gatehouse.{hash}.css"),
        None => "/pkg/gatehouse.css".to_owned(),
    }
}

/// A file under `/pkg/` whose name carries a content hash: `name.<22 base64url chars>.ext`
/// (cargo-leptos: the MD5 of the content, unpadded base64url), possibly precompressed.
pub fn is_content_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else { return false };
    name.split('.')
        .any(|part| part.len() == 22 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
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
