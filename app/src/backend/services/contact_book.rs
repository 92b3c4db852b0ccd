//! PRO-2 (the address book and phone book of a person's profile) and the addresses of PRO-5
//! (a company's, changed with UPDATE_ORG_DETAILS). One transaction per action.
//!
//! Preferred addresses: each usage (billing, shipping) has at most one preferred address per
//! owner — the database's partial unique index refuses a second. The first address given a
//! usage becomes its preferred one; when the preferred address is removed or loses the usage,
//! the newest remaining address with that usage is promoted, so a book that has billing
//! addresses always has a preferred billing address, and one without has none.

use crate::backend::authz::{CompanyAdmin, SignedIn};
use crate::backend::db::Tx;
use crate::backend::error::{ServiceError, StoreError, Unique};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::store::addresses::{self, Owner, StoredAddress};
use crate::backend::store::audit;
use crate::backend::store::phones::{self, StoredPhone};
use crate::domain::{AddressEntry, AddressUsage, ConflictCode, Permission, PhoneEntry, PhoneKind};

/// At most this many active addresses per owner, so the book is one bounded read.
pub const MAX_ADDRESSES: i64 = 50;
/// At most this many phones per person.
pub const MAX_PHONES: i64 = 20;
/// Two racing "Make preferred" requests: the loser is tried again on the new state.
const PREFERRED_ATTEMPTS: usize = 3;

/// Whose addresses, with the capability that reaches them.
#[derive(Debug, Clone, Copy)]
pub enum AddressBook<'a> {
    /// The signed-in person's own book (PRO-2).
    Person(&'a SignedIn),
    /// The caller's organization (PRO-5, SEC-5): read with ORG_DETAILS, changed with
    /// UPDATE_ORG_DETAILS.
    Company(&'a CompanyAdmin),
}

impl<'a> AddressBook<'a> {
    fn owner(self, change: bool) -> Result<Owner<'a>, ServiceError> {
        match self {
            AddressBook::Person(me) => Ok(Owner::Person(me.person_id())),
            AddressBook::Company(admin) => {
                let needed = if change { Permission::UpdateOrgDetails } else { Permission::OrgDetails };
                if !admin.permissions().holds(needed) {
                    return Err(ServiceError::Forbidden);
                }
                Ok(Owner::Organization(admin.organization_id()))
            }
        }
    }

    /// Company changes are audited (CON-5); a person's own book is not.
    async fn audit(self, tx: &mut Tx, action: &str, address_id: &str, now: i64) -> Result<(), StoreError> {
        let AddressBook::Company(admin) = self else { return Ok(()) };
        let entry = audit::AuditEntry {
            actor: audit::Actor::User(admin.user_id()),
            action,
            subject_type: "organization",
            subject_id: admin.organization_id(),
            before: None,
            after: Some(address_id),
            justification: None,
        };
        audit::append(tx, &entry, now).await
    }
}

/// The active addresses (REJ-4: removed ones never), newest first.
pub async fn address_book(state: &AppState, book: AddressBook<'_>) -> Result<Vec<StoredAddress>, ServiceError> {
    let owner = book.owner(false)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(addresses::active(&mut conn, owner, MAX_ADDRESSES).await?)
}

/// One active address of the book; another owner's id is `NotFound`, like an unknown one.
pub async fn address(state: &AppState, book: AddressBook<'_>, id: &str) -> Result<StoredAddress, ServiceError> {
    let owner = book.owner(false)?;
    let mut conn = state.db.pool().acquire().await?;
    addresses::find(&mut conn, owner, id).await?.ok_or(ServiceError::NotFound)
}

pub async fn add_address(
    state: &AppState,
    book: AddressBook<'_>,
    entry: &AddressEntry,
) -> Result<String, ServiceError> {
    let owner = book.owner(true)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    addresses::lock_owner(&mut tx, owner).await?;
    if addresses::count_active(&mut tx, owner).await? >= MAX_ADDRESSES {
        return Err(ServiceError::Conflict(ConflictCode::AddressBookFull));
    }
    let id = addresses::insert(&mut tx, owner, &entry.address, now).await?;
    addresses::set_usages(&mut tx, owner, &id, &entry.usages).await?;
    ensure_preferred(&mut tx, owner).await?;
    book.audit(&mut tx, "organization.address_added", &id, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn edit_address(
    state: &AppState,
    book: AddressBook<'_>,
    id: &str,
    entry: &AddressEntry,
) -> Result<(), ServiceError> {
    let owner = book.owner(true)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    addresses::lock_owner(&mut tx, owner).await?;
    if !addresses::update(&mut tx, owner, id, &entry.address).await? {
        return Err(ServiceError::NotFound);
    }
    addresses::set_usages(&mut tx, owner, id, &entry.usages).await?;
    ensure_preferred(&mut tx, owner).await?;
    book.audit(&mut tx, "organization.address_changed", id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// REJ-4: the address becomes inactive and is never listed or offered again; another one
/// takes over its preferred usages (see the module comment).
pub async fn remove_address(state: &AppState, book: AddressBook<'_>, id: &str) -> Result<(), ServiceError> {
    let owner = book.owner(true)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    addresses::lock_owner(&mut tx, owner).await?;
    if !addresses::deactivate(&mut tx, owner, id).await? {
        return Err(ServiceError::NotFound);
    }
    ensure_preferred(&mut tx, owner).await?;
    book.audit(&mut tx, "organization.address_removed", id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// "Make preferred for billing/shipping": exactly one preferred address per usage afterwards.
/// An address that does not serve `usage` (or is not the owner's) is `NotFound`.
pub async fn prefer_address(
    state: &AppState,
    book: AddressBook<'_>,
    id: &str,
    usage: AddressUsage,
) -> Result<(), ServiceError> {
    let owner = book.owner(true)?;
    for attempt in 1..=PREFERRED_ATTEMPTS {
        let now = state.now_ms();
        let mut tx = state.db.begin().await?;
        let outcome = async {
            addresses::lock_owner(&mut tx, owner).await?;
            if addresses::find(&mut tx, owner, id).await?.is_none()
                || !addresses::make_preferred(&mut tx, owner, id, usage).await?
            {
                return Err(StoreError::NotFound);
            }
            book.audit(&mut tx, "organization.address_preferred", id, now).await
        }
        .await;
        match outcome {
            Ok(()) => match tx.commit().await {
                Ok(()) => return Ok(()),
                Err(e) => match StoreError::from(e) {
                    StoreError::Duplicate(Unique::PreferredAddress) if attempt < PREFERRED_ATTEMPTS => continue,
                    other => return Err(other.into()),
                },
            },
            // Another request made a different address preferred meanwhile (PostgreSQL sees
            // its row only after it commits): start again on the state it left.
            Err(StoreError::Duplicate(Unique::PreferredAddress)) if attempt < PREFERRED_ATTEMPTS => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ServiceError::Conflict(ConflictCode::AlreadyDecided))
}

async fn ensure_preferred(tx: &mut Tx, owner: Owner<'_>) -> Result<(), StoreError> {
    for usage in AddressUsage::ALL {
        addresses::ensure_preferred(tx, owner, usage).await?;
    }
    Ok(())
}

/// The person's phones, oldest first.
pub async fn phone_book(state: &AppState, me: &SignedIn) -> Result<Vec<StoredPhone>, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(phones::of_person(&mut conn, me.person_id(), MAX_PHONES).await?)
}

pub async fn phone(state: &AppState, me: &SignedIn, id: &str) -> Result<StoredPhone, ServiceError> {
    let mut conn = state.db.pool().acquire().await?;
    phones::find(&mut conn, me.person_id(), id).await?.ok_or(ServiceError::NotFound)
}

pub async fn add_phone(state: &AppState, me: &SignedIn, entry: &PhoneEntry) -> Result<String, ServiceError> {
    let mut tx = state.db.begin().await?;
    if phones::count(&mut tx, me.person_id(), None).await? >= MAX_PHONES {
        return Err(ServiceError::Conflict(ConflictCode::PhoneBookFull));
    }
    let id = phones::insert(&mut tx, me.person_id(), entry, state.now_ms()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn edit_phone(state: &AppState, me: &SignedIn, id: &str, entry: &PhoneEntry) -> Result<(), ServiceError> {
    let mut tx = state.db.begin().await?;
    let before = phones::find(&mut tx, me.person_id(), id).await?.ok_or(ServiceError::NotFound)?;
    if before.kind == PhoneKind::Business && entry.kind == PhoneKind::Personal {
        keeps_a_business_phone(&mut tx, me).await?;
    }
    if !phones::update(&mut tx, me.person_id(), id, entry).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The phone is deleted; when it was the primary one, the oldest remaining becomes primary.
pub async fn remove_phone(state: &AppState, me: &SignedIn, id: &str) -> Result<(), ServiceError> {
    let mut tx = state.db.begin().await?;
    let before = phones::find(&mut tx, me.person_id(), id).await?.ok_or(ServiceError::NotFound)?;
    if before.kind == PhoneKind::Business {
        keeps_a_business_phone(&mut tx, me).await?;
    }
    if !phones::delete(&mut tx, me.person_id(), id).await? {
        return Err(ServiceError::NotFound);
    }
    phones::ensure_primary(&mut tx, me.person_id()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn prefer_phone(state: &AppState, me: &SignedIn, id: &str) -> Result<(), ServiceError> {
    let mut tx = state.db.begin().await?;
    addresses::lock_owner(&mut tx, Owner::Person(me.person_id())).await?;
    if !phones::make_primary(&mut tx, me.person_id(), id).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await.map_err(|e| match StoreError::from(e) {
        StoreError::Duplicate(Unique::PrimaryPhone) => ServiceError::Conflict(ConflictCode::AlreadyDecided),
        other => other.into(),
    })?;
    Ok(())
}

/// REG-10: with `mandate_business_phone` on, a business user's last business number can be
/// neither removed nor turned into a personal one.
async fn keeps_a_business_phone(tx: &mut Tx, me: &SignedIn) -> Result<(), ServiceError> {
    if me.organization_id().is_none() || !Settings::load(tx).await?.mandate_business_phone {
        return Ok(());
    }
    if phones::count(tx, me.person_id(), Some(PhoneKind::Business)).await? <= 1 {
        return Err(ServiceError::Conflict(ConflictCode::BusinessPhoneRequired));
    }
    Ok(())
}
