//! The HTML shell, the router and the layout (header with the signed-in user and Sign out).

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::api::auth::current_user::current_user;
use crate::ui::components::ScopeSwitch;
use crate::ui::pages::admin::access::{ContactAccountsPage, ContactRolesPage, ContactSitesPage, RemoveAccountPage};
use crate::ui::pages::admin::contacts::{ContactPage, ContactsPage, NewContactPage};
use crate::ui::pages::admin::roles::{DeleteRolePage, EditRolePage, NewRolePage, RoleManagementPage};
use crate::ui::pages::approvals::{
    CompanyApprovalsPage, CompanyApprovePage, CompanyRejectPage, ConsoleApprovalsPage, ConsoleApprovePage,
    ConsoleRejectPage,
};
use crate::ui::pages::company::{
    CompanyAdministratorsPage, CompanyEditAddressPage, CompanyNewAddressPage, CompanyPage,
};
use crate::ui::pages::console::activity::{AuditLogPage, OutboxPage};
use crate::ui::pages::console::approval_groups::{ApprovalGroupPage, ApprovalGroupsPage};
use crate::ui::pages::console::approval_setup::{ApprovalDefinitionPage, ApprovalDefinitionsPage};
use crate::ui::pages::console::catalog::{RolePage, RolesPage};
use crate::ui::pages::console::customer_import::CustomerImportPage;
use crate::ui::pages::console::enrollments::{EnrollmentPage, EnrollmentsPage};
use crate::ui::pages::console::home::ConsoleHomePage;
use crate::ui::pages::console::integrations::{IntegrationPage, IntegrationSecretPage, IntegrationsPage};
use crate::ui::pages::console::settings::SettingsPage;
use crate::ui::pages::console::sites::{SitePage, SitesPage};
use crate::ui::pages::console::user_actions::{
    DeleteUserPage, DisableUserPage, GrantUserRolePage, RemoveUserRolePage, ResetUserPasswordPage,
};
use crate::ui::pages::console::user_types::{UserTypePage, UserTypesPage};
use crate::ui::pages::console::users::{ConsoleUserPage, ConsoleUsersPage, NewConsoleUserPage};
use crate::ui::pages::profile::addresses::{AddressBookPage, EditAddressPage, NewAddressPage};
use crate::ui::pages::profile::phones::{EditPhonePage, NewPhonePage, PhoneBookPage};
use crate::ui::pages::profile::{
    confirm_email::EmailConfirmPage, emails::EmailsPage, personal::ProfilePage, preferences::PreferencesPage,
};
use crate::ui::pages::register_confirm::{ConfirmFormPage, ConfirmListPage};
use crate::ui::pages::{
    accounts::AccountsPage, forgot::ForgotPage, home::HomePage, login::LoginPage, not_found::NotFound,
    password_change::PasswordChangePage, password_reset::PasswordResetPage, pending::PendingPage,
    register_complete::RegisterCompletePage, register_form::RegisterFormPage, register_list::RegisterListPage,
};
use crate::ui::session::SessionContext;

/// The page around every route. Its script tags are added by what needs them
/// (`ui::page_scripts`): a page with nothing to enhance is served without the wasm.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ui::page_scripts::provide_page_scripts();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.ico" />
                <HashedStylesheet id="leptos" options=options.clone() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let version = RwSignal::new(0_u32);
    let user = Resource::new(move || version.get(), |_| current_user());
    provide_context(SessionContext { version, user });

    view! {
        <Title formatter=|page: String| format!("{page} · Gatehouse") />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterListPage ssr=SsrMode::Async />
                    <Route path=path!("/register/pending") view=PendingPage ssr=SsrMode::Async />
                    <Route path=path!("/register/complete") view=RegisterCompletePage ssr=SsrMode::Async />
                    <Route path=path!("/register/confirm") view=ConfirmListPage ssr=SsrMode::Async />
                    <Route path=path!("/register/confirm/:type_key") view=ConfirmFormPage ssr=SsrMode::Async />
                    <Route path=path!("/register/:type_key") view=RegisterFormPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/password/change") view=PasswordChangePage ssr=SsrMode::Async />
                    <Route path=path!("/forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("/password/reset/:token") view=PasswordResetPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/profile/emails") view=EmailsPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/emails/:id/primary") view=EmailsPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/emails/:id/remove") view=EmailsPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/email/confirm/:token") view=EmailConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/preferences") view=PreferencesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/approvals") view=CompanyApprovalsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/approvals/:id/approve") view=CompanyApprovePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/approvals/:id/reject") view=CompanyRejectPage ssr=SsrMode::Async />
                    <Route path=path!("/console") view=ConsoleHomePage ssr=SsrMode::Async />
                    <Route path=path!("/console/user-types") view=UserTypesPage ssr=SsrMode::Async />
                    <Route path=path!("/console/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/import") view=CustomerImportPage ssr=SsrMode::Async />
                    <Route path=path!("/console/audit") view=AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/console/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/console/outbox/:id/retry") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/console/user-types/new") view=UserTypePage ssr=SsrMode::Async />
                    <Route path=path!("/console/user-types/:current_key") view=UserTypePage ssr=SsrMode::Async />
                    // CON-2: approval set-up; a failed plain post of a form renders its page again.
                    <Route path=path!("/console/approval-definitions") view=ApprovalDefinitionsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/new") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/:id") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/:id/steps") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/:id/steps/:step_id/remove") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/:id/steps/:step_id/up") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-definitions/:id/steps/:step_id/down") view=ApprovalDefinitionPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-groups") view=ApprovalGroupsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-groups/new") view=ApprovalGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-groups/:id") view=ApprovalGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-groups/:id/members") view=ApprovalGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approval-groups/:id/members/:user_id/remove") view=ApprovalGroupPage ssr=SsrMode::Async />
                    // CON-2: roles and sites.
                    <Route path=path!("/console/roles") view=RolesPage ssr=SsrMode::Async />
                    <Route path=path!("/console/roles/new") view=RolePage ssr=SsrMode::Async />
                    <Route path=path!("/console/roles/:id") view=RolePage ssr=SsrMode::Async />
                    <Route path=path!("/console/enrollments") view=EnrollmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/enrollments/new") view=EnrollmentPage ssr=SsrMode::Async />
                    <Route path=path!("/console/enrollments/:id") view=EnrollmentPage ssr=SsrMode::Async />
                    <Route path=path!("/console/sites") view=SitesPage ssr=SsrMode::Async />
                    <Route path=path!("/console/sites/new") view=SitePage ssr=SsrMode::Async />
                    <Route path=path!("/console/sites/:id") view=SitePage ssr=SsrMode::Async />
                    // CON-4. A failed plain post of Inactivate / Activate renders the integration user's page again.
                    <Route path=path!("/console/integrations") view=IntegrationsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/integrations/new") view=IntegrationPage ssr=SsrMode::Async />
                    <Route path=path!("/console/integrations/:id") view=IntegrationPage ssr=SsrMode::Async />
                    <Route path=path!("/console/integrations/:id/secret") view=IntegrationSecretPage ssr=SsrMode::Async />
                    <Route path=path!("/console/integrations/:id/inactivate") view=IntegrationPage ssr=SsrMode::Async />
                    <Route path=path!("/console/integrations/:id/activate") view=IntegrationPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users") view=ConsoleUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/new") view=NewConsoleUserPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id") view=ConsoleUserPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/enable") view=ConsoleUserPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/disable") view=DisableUserPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/delete") view=DeleteUserPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/password") view=ResetUserPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/roles/grant") view=GrantUserRolePage ssr=SsrMode::Async />
                    <Route path=path!("/console/users/:id/roles/:role_id/remove") view=RemoveUserRolePage ssr=SsrMode::Async />
                    <Route path=path!("/console/approvals") view=ConsoleApprovalsPage ssr=SsrMode::Async />
                    <Route path=path!("/console/approvals/:id/approve") view=ConsoleApprovePage ssr=SsrMode::Async />
                    <Route path=path!("/console/approvals/:id/reject") view=ConsoleRejectPage ssr=SsrMode::Async />
                    // PRO-2. A failed plain post of a row action renders its list again.
                    <Route path=path!("/profile/addresses") view=AddressBookPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/addresses/new") view=NewAddressPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/addresses/:id") view=EditAddressPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/addresses/:id/remove") view=AddressBookPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/addresses/:id/prefer") view=AddressBookPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/phones") view=PhoneBookPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/phones/new") view=NewPhonePage ssr=SsrMode::Async />
                    <Route path=path!("/profile/phones/:id") view=EditPhonePage ssr=SsrMode::Async />
                    <Route path=path!("/profile/phones/:id/remove") view=PhoneBookPage ssr=SsrMode::Async />
                    <Route path=path!("/profile/phones/:id/prefer") view=PhoneBookPage ssr=SsrMode::Async />
                    // PRO-5, PRO-6.
                    <Route path=path!("/company") view=CompanyPage ssr=SsrMode::Async />
                    <Route path=path!("/company/addresses/new") view=CompanyNewAddressPage ssr=SsrMode::Async />
                    <Route path=path!("/company/addresses/:id") view=CompanyEditAddressPage ssr=SsrMode::Async />
                    <Route path=path!("/company/addresses/:id/remove") view=CompanyPage ssr=SsrMode::Async />
                    <Route path=path!("/company/addresses/:id/prefer") view=CompanyPage ssr=SsrMode::Async />
                    <Route path=path!("/company/administrators") view=CompanyAdministratorsPage ssr=SsrMode::Async />
                    // ADM-1 … ADM-3. A failed plain post of a contact's forms renders its page again.
                    <Route path=path!("/admin/contacts") view=ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/new") view=NewContactPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id") view=ContactPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/user") view=ContactPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/invite") view=ContactPage ssr=SsrMode::Async />
                    // ADM-4 … ADM-6: a contact's access tabs. A failed plain post of a row action renders its tab again.
                    <Route path=path!("/admin/contacts/:id/roles") view=ContactRolesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/roles/:role_id/grant") view=ContactRolesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/roles/:role_id/revoke") view=ContactRolesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/sites") view=ContactSitesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/sites/:site_id/assign") view=ContactSitesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/sites/:site_id/remove") view=ContactSitesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/accounts") view=ContactAccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/accounts/:account_id/assign") view=ContactAccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/contacts/:id/accounts/:account_id/remove") view=RemoveAccountPage ssr=SsrMode::Async />
                    // ADM-7.
                    <Route path=path!("/admin/roles") view=RoleManagementPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/roles/new") view=NewRolePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/roles/:id") view=EditRolePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/roles/:id/delete") view=DeleteRolePage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Gatehouse · customer registration and user management"</p>
            </footer>
        </Router>
    }
}

/// LOG-3: a user with a temporary or expired password can do nothing else until it is changed
/// (the server refuses them too: every capability check fails until then).
#[component]
fn ForcedPasswordChange() -> impl IntoView {
    // The server already redirects page loads (server/src/middleware/password_change.rs); this
    // covers navigation inside the hydrated app. Effects run only in the browser.
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if location.pathname.get() != "/password/change" {
            navigate("/password/change", Default::default());
        }
    });
}

/// LOG-5: the signed-in user's name and a Sign out button (a plain form: works without JS).
#[component]
fn Header() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Gatehouse"</a>
            <nav aria-label="Account">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match session.user.await {
                            Ok(Some(user)) => {
                                let forced = user.must_change_password;
                                let menu = user.menu.clone();
                                let scope = (!forced).then(|| view! { <ScopeSwitch user=user.clone() /> });
                                view! {
                                    {forced.then(|| view! { <ForcedPasswordChange /> })}
                                    {menu.into_iter().map(|m| view! { <a href=m.href>{m.label}</a> }).collect_view()}
                                    {scope}
                                    <span class="signed-in-as">
                                        <span class="visually-hidden">"Signed in as "</span>
                                        <span class="user-name">{user.name}</span>
                                    </span>
                                    <form class="sign-out" method="post" action="/logout">
                                        <button type="submit" class="button button-secondary">"Sign out"</button>
                                    </form>
                                }
                                    .into_any()
                            }
                            _ => {
                                view! {
                                    <a href="/login">"Sign in"</a>
                                    <a href="/register">"Register"</a>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </nav>
        </header>
    }
}
