//! The sections of a signed-in user's own profile (PRO-1 … PRO-4), as data: each page of the
//! profile shows the same navigation, with the current page marked for screen readers.

use leptos::prelude::*;

use crate::ui::session::SessionContext;

/// One section of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileSection {
    pub label: &'static str,
    pub href: &'static str,
    /// PRO-3: only business users have accounts of their organization to choose from.
    pub business_only: bool,
}

pub const PROFILE_SECTIONS: &[ProfileSection] = &[
    ProfileSection { label: "Personal information", href: "/profile", business_only: false },
    ProfileSection { label: "E-mail addresses", href: "/profile/emails", business_only: false },
    ProfileSection { label: "Addresses", href: "/profile/addresses", business_only: false },
    ProfileSection { label: "Phones", href: "/profile/phones", business_only: false },
    ProfileSection { label: "Accounts", href: "/profile/accounts", business_only: true },
    ProfileSection { label: "Preferences", href: "/profile/preferences", business_only: false },
];

/// The sections `is_business` may open (the pages refuse the others on the server too).
pub fn profile_sections(is_business: bool) -> impl Iterator<Item = &'static ProfileSection> {
    PROFILE_SECTIONS.iter().filter(move |s| is_business || !s.business_only)
}

/// The profile's navigation; `current` is the href of the page showing it.
#[component]
pub fn ProfileNav(current: &'static str) -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let is_business = matches!(session.user.await, Ok(Some(ref u)) if u.is_business);
                view! {
                    <nav class="tabs" aria-label="Your profile">
                        {profile_sections(is_business)
                            .map(|s| {
                                let here = (s.href == current).then_some("page");
                                view! { <a href=s.href aria-current=here>{s.label}</a> }
                            })
                            .collect_view()}
                    </nav>
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // covers: PRO-3, ADM-9
    #[test]
    fn individuals_are_not_offered_accounts() {
        let individual: Vec<_> = profile_sections(false).map(|s| s.href).collect();
        assert!(!individual.contains(&"/profile/accounts"));
        assert!(individual.contains(&"/profile"));
        assert!(profile_sections(true).any(|s| s.href == "/profile/accounts"));
    }
}
