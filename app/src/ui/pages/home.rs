//! The home page: a welcome, and the way in for new and returning customers.

use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use crate::ui::session::SessionContext;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let changed = use_query_map().read_untracked().get("notice").is_some_and(|n| n == "password_changed");
    view! {
        <Title text="Welcome" />
        <section class="panel hero">
            {changed.then(|| view! { <p class="notice" role="status">"Your password has been changed."</p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(user)) => view! {
                            <h1>"Welcome, " {user.name}</h1>
                            <p>"You are signed in as " <strong>{user.username}</strong> "."</p>
                        }
                        .into_any(),
                        _ => view! {
                            <h1>"Welcome to Gatehouse"</h1>
                            <p>"Register to shop online as an individual or for your company, or sign in if you already have an account."</p>
                            <p class="actions">
                                <a class="button" href="/register">"Register"</a>
                                <a class="button button-secondary" href="/login">"Sign in"</a>
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
