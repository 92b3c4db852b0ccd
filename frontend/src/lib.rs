//! The browser entry point: hydrates the server-rendered Gatehouse pages.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for the end-to-end tests: the page is interactive from here on.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__gatehouse_hydrated".into(), &true.into());
    }
}
