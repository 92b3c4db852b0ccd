//! `/register`: the registrable user types grouped under their headings (REG-1, REG-2).

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::UserTypeGroup;

#[server(prefix = "/rpc", endpoint = "register/listing")]
pub async fn register_listing(group_ut: Option<String>) -> Result<Vec<UserTypeGroup>, AppError> {
    use crate::api::ssr::{reference, state, to_app_error};
    use crate::api::types::UserTypeEntry;
    /// Headings in display order; types of no group go under "Others".
    const GROUPS: &[(&str, &str)] = &[("individual", "Individual"), ("company", "Company"), ("partner", "Partner")];
    let state = state()?;
    let types = crate::backend::services::registration::registrable_types(&state, group_ut.as_deref())
        .await
        .map_err(|e| to_app_error(e, reference()))?;
    let mut groups: Vec<UserTypeGroup> = GROUPS
        .iter()
        .chain(std::iter::once(&("", "Others")))
        .map(|(_, heading)| UserTypeGroup { heading: (*heading).to_owned(), entries: Vec::new() })
        .collect();
    for t in types {
        let index = GROUPS.iter().position(|(key, _)| Some(*key) == t.group_key.as_deref()).unwrap_or(GROUPS.len());
        groups[index].entries.push(UserTypeEntry { key: t.key, long_name: t.long_name });
    }
    groups.retain(|g| !g.entries.is_empty());
    Ok(groups)
}
