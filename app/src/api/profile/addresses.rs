//! The address book (PRO-2) and the company's addresses (PRO-5): one set of server functions
//! for both, the `book` argument choosing whose (fixed by the route for plain posts, like the
//! approvals `Scope`). Each answers where to go next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::domain::{AddressForm, AddressUsage};

/// Whose address book a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Book {
    /// `/profile/addresses`: the signed-in person's (PRO-2).
    Person,
    /// `/company`: the caller's organization's (PRO-5).
    Company,
}

impl Book {
    /// Where the book is listed.
    pub fn list(self) -> &'static str {
        match self {
            Book::Person => "/profile/addresses",
            Book::Company => "/company",
        }
    }

    /// The base of one address's pages and row actions.
    pub fn base(self) -> &'static str {
        match self {
            Book::Person => "/profile/addresses",
            Book::Company => "/company/addresses",
        }
    }
}

/// One active address: its fields as the form shows them, and each usage with whether it is
/// the preferred address for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressView {
    pub id: String,
    pub form: AddressForm,
    pub usages: Vec<(AddressUsage, bool)>,
}

impl AddressView {
    /// The address on one line, for tables and button labels.
    pub fn one_line(&self) -> String {
        let f = &self.form;
        [&f.address_line1, &f.address_line2, &f.city, &f.region, &f.postal_code, &f.country]
            .into_iter()
            .filter(|part| !part.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The confirmation shown on the list after an action.
pub fn notice_text(notice: &str) -> Option<&'static str> {
    match notice {
        "address_added" => Some("The address was added."),
        "address_saved" => Some("The address was saved."),
        "address_removed" => Some("The address was removed."),
        "address_preferred" => Some("The preferred address was changed."),
        _ => None,
    }
}

#[server(prefix = "/rpc", endpoint = "addresses/list")]
pub async fn address_book(book: Book) -> Result<Vec<AddressView>, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, false).await?;
    let rows = crate::backend::services::contact_book::address_book(&state, capability.book())
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(rows.into_iter().map(ssr::view).collect())
}

#[server(prefix = "/rpc", endpoint = "addresses/one")]
pub async fn address_entry(book: Book, id: String) -> Result<AddressView, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, false).await?;
    let row = crate::backend::services::contact_book::address(&state, capability.book(), &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(ssr::view(row))
}

#[server(prefix = "/rpc", endpoint = "addresses/add", input = server_fn::codec::Json)]
pub async fn add_address(book: Book, #[server(flatten)] form: AddressForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, true).await?;
    let entry = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::contact_book::add_address(&state, capability.book(), &entry)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=address_added", book.list()))
}

#[server(prefix = "/rpc", endpoint = "addresses/edit", input = server_fn::codec::Json)]
pub async fn edit_address(book: Book, id: String, #[server(flatten)] form: AddressForm) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, true).await?;
    let entry = form.validate().map_err(|fields| AppError::Validation { fields })?;
    crate::backend::services::contact_book::edit_address(&state, capability.book(), &id, &entry)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=address_saved", book.list()))
}

/// REJ-4: removing makes the address inactive; it is never listed or offered again.
#[server(prefix = "/rpc", endpoint = "addresses/remove")]
pub async fn remove_address(book: Book, id: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, true).await?;
    crate::backend::services::contact_book::remove_address(&state, capability.book(), &id)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=address_removed", book.list()))
}

/// "Make preferred for billing/shipping" (PRO-2): `usage` is `billing` or `shipping`.
#[server(prefix = "/rpc", endpoint = "addresses/prefer")]
pub async fn prefer_address(book: Book, id: String, usage: String) -> Result<String, AppError> {
    use crate::api::ssr::{reference, to_app_error};
    let (state, capability) = ssr::capability(book, true).await?;
    let usage: AddressUsage = usage.parse().map_err(|_| AppError::NotFound)?;
    crate::backend::services::contact_book::prefer_address(&state, capability.book(), &id, usage)
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    Ok(format!("{}?notice=address_preferred", book.list()))
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{AddressView, Book};
    use crate::api::error::AppError;
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::backend::authz::{CompanyAdmin, SignedIn};
    use crate::backend::services::contact_book::AddressBook;
    use crate::backend::store::addresses::StoredAddress;
    use crate::backend::AppState;
    use crate::domain::{AddressForm, Permission};

    /// The caller's capability over `book`: their own person, or their organization with
    /// ORG_DETAILS to read and UPDATE_ORG_DETAILS to change (PRO-5, SEC-5).
    pub enum Capability {
        Person(SignedIn),
        Company(CompanyAdmin),
    }

    impl Capability {
        pub fn book(&self) -> AddressBook<'_> {
            match self {
                Capability::Person(me) => AddressBook::Person(me),
                Capability::Company(admin) => AddressBook::Company(admin),
            }
        }
    }

    pub async fn capability(book: Book, change: bool) -> Result<(AppState, Capability), AppError> {
        let caller = crate::api::capability::caller().await?;
        let capability = match book {
            Book::Person => caller.signed_in().map(Capability::Person),
            Book::Company => {
                let permission = if change { Permission::UpdateOrgDetails } else { Permission::OrgDetails };
                caller.company_admin(permission).map(Capability::Company)
            }
        };
        Ok((state()?, capability.map_err(|e| to_app_error(e, reference()))?))
    }

    pub fn view(row: StoredAddress) -> AddressView {
        let usages: Vec<_> = row.usages.iter().map(|(u, _)| *u).collect();
        AddressView { form: AddressForm::of(&row.address, &usages), id: row.id, usages: row.usages }
    }
}
