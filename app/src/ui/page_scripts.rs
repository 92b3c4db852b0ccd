//! Only a page with something to enhance loads the browser half of the app (issue 11: the first
//! visit of `/register` within 250 KB).
//!
//! The wasm and its loader are most of what a first visit transfers, and most pages have no use
//! for them: the home page, the list of user types, the pending and complete notices and the
//! not-found page are plain HTML and CSS, and every page works without JavaScript (REG-15). So
//! the loader is asked for by what needs it — a form with the browser's pre-check and progress
//! (every `FormState`), or the import's upload progress — and a page without any is served
//! without a script; its links load the next page whole.
//!
//! The server decides while it renders: the first such form registers the loader's tags with
//! `leptos_meta`, which writes them into the `<head>` once the page is complete (every route
//! renders `SsrMode::Async`, so a form inside a `Suspense` counts). The browser never adds them:
//! the loader runs once per page load, and pages reached by client-side navigation are already
//! running the app.

#[cfg(feature = "ssr")]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(feature = "ssr")]
use std::sync::Arc;

#[cfg(feature = "ssr")]
use leptos::prelude::*;

/// One request's page: whether its loader has been asked for yet.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
struct PageScripts {
    asked: Arc<AtomicBool>,
}

/// Called by the shell for each page the server renders.
#[cfg(feature = "ssr")]
pub fn provide_page_scripts() {
    provide_context(PageScripts::default());
}

/// This page has something the browser half enhances: load it (once per page).
pub fn want_page_script() {
    #[cfg(feature = "ssr")]
    {
        use leptos::tachys::view::RenderHtml;
        use leptos_meta::{Link, Script};

        let Some(page) = use_context::<PageScripts>() else { return };
        if page.asked.swap(true, Ordering::Relaxed) {
            return;
        }
        let (js, wasm) = (crate::assets::script_href(), crate::assets::wasm_href());
        let nonce = leptos::nonce::use_nonce().map(|n| n.as_inner().to_string());
        let loader = format!(
            "import({js:?}).then(app => app.default({{ module_or_path: {wasm:?} }}).then(() => app.hydrate()));"
        );
        // Rendering a leptos_meta tag hands it to the page's <head> (it writes nothing here).
        let head = view! {
            <Link rel="modulepreload" href=js crossorigin="" />
            <Link rel="preload" href=wasm as_="fetch" type_="application/wasm" crossorigin="" />
            <Script type_="module" nonce=nonce.unwrap_or_default()>{loader}</Script>
        };
        let _ = head.to_html();
    }
}
