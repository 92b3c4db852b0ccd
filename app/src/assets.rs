//! The site's compiled files (`/pkg/…`) as cargo-leptos named them. With `hash-files` (the
//! release build) each name carries its content's hash — `gatehouse.<hash>.wasm` — listed in
//! `hash.txt` beside the executable, so a browser may keep them forever: a new build is a new
//! name. A build without hashes (the tests' plain `cargo build`) keeps the plain names.

use std::path::PathBuf;
use std::sync::OnceLock;

/// The name cargo-leptos gives the site's files (`output-name` in Cargo.toml).
const OUTPUT_NAME: &str = "gatehouse";

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

fn hash_of(kind: &str) -> Option<&'static str> {
    hashes().iter().find(|(k, _)| k == kind).map(|(_, hash)| hash.as_str())
}

/// Whether this build's files carry content hashes (Leptos then asks for the hashed names).
pub fn hashed() -> bool {
    !hashes().is_empty()
}

/// The stylesheet's URL (also for pages rendered outside Leptos, like the 429 page).
pub fn stylesheet_href() -> String {
    match hash_of("css") {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
        None => format!("/pkg/{OUTPUT_NAME}.css"),
    }
}

/// The browser half's loader (wasm-bindgen's JavaScript module).
pub fn script_href() -> String {
    match hash_of("js") {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.js"),
        None => format!("/pkg/{OUTPUT_NAME}.js"),
    }
}

/// The browser half itself. cargo-leptos names it `gatehouse.wasm` (it sets `LEPTOS_OUTPUT_NAME`
/// for its builds); wasm-bindgen on its own, as a plain `cargo build` leaves it, `gatehouse_bg.wasm`
/// — as Leptos' own `HydrationScripts` decides.
pub fn wasm_href() -> String {
    match hash_of("wasm") {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.wasm"),
        None if option_env!("LEPTOS_OUTPUT_NAME").is_some() => format!("/pkg/{OUTPUT_NAME}.wasm"),
        None => format!("/pkg/{OUTPUT_NAME}_bg.wasm"),
    }
}
