//! The 404 page, with the request's reference code (LOG-1).

use leptos::prelude::*;
use leptos_meta::Title;

/// The reference code of the request being rendered, carried to the browser so hydration
/// shows the same text the server did.
pub fn reference_code() -> OnceResource<String> {
    OnceResource::new(async move {
        #[cfg(feature = "ssr")]
        {
            crate::api::ssr::reference()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    })
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let reference = reference_code();
    view! {
        <Title text="Page not found" />
        <section class="panel">
            <h1>"Page not found"</h1>
            <p>"We could not find the page you asked for. It may have moved, or the link may be mistyped."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let code = reference.await;
                    (!code.is_empty()).then(|| view! { <p class="reference">"Reference: " <code>{code}</code></p> })
                })}
            </Suspense>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}
