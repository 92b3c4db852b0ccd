//! After a registration that needs approval (REG-13).

use leptos::prelude::*;
use leptos_meta::Title;

pub const AWAITING_APPROVAL: &str = "Your registration has been submitted and is awaiting approval";

#[component]
pub fn PendingPage() -> impl IntoView {
    view! {
        <Title text="Registration submitted" />
        <section class="panel">
            <h1>"Registration submitted"</h1>
            <p class="notice" role="status">{AWAITING_APPROVAL}</p>
            <p>"We have sent you an e-mail. You can sign in once your registration has been approved."</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}
