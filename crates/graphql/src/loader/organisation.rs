//! Organisations by id, and the children of many parents at once.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::organisation::Model;
use khuyenhoc_core::page::{Page, PageRequest};
use khuyenhoc_core::service::organisation::{self, OrganisationFilter, OrganisationSort, Parent};

use super::Loaders;
use crate::error::ApiError;

/// The arguments of a nested `children` list (the same for every parent of one field).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChildListArgs {
    /// Filter.
    pub filter: OrganisationFilter,
    /// Sort field.
    pub sort: OrganisationSort,
    /// Descending.
    pub descending: bool,
    /// Page.
    pub page: PageRequest,
}

/// Key: one parent's `children` list with given arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChildOrganisations {
    /// The parent.
    pub parent_id: i64,
    /// The parent's stored path (it decides whether the children need a scope condition).
    pub parent_path: Arc<str>,
    /// The list arguments.
    pub args: Arc<ChildListArgs>,
}

impl Loader<ChildOrganisations> for Loaders {
    type Value = (Page<Model>, u64);
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ChildOrganisations],
    ) -> Result<HashMap<ChildOrganisations, Self::Value>, ApiError> {
        let actor = self.actor()?;
        let mut by_args: HashMap<&Arc<ChildListArgs>, Vec<&ChildOrganisations>> = HashMap::new();
        for key in keys {
            by_args.entry(&key.args).or_default().push(key);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (args, group) in by_args {
            let parents: Vec<Parent<'_>> = group
                .iter()
                .map(|key| Parent {
                    id: key.parent_id,
                    path: &key.parent_path,
                })
                .collect();
            let ordering = organisation::ordering(args.sort, args.descending);
            let mut pages = organisation::children_pages(
                &self.db,
                &actor,
                &parents,
                &args.filter,
                &ordering,
                &args.page,
                self.limits.max_page_size,
            )
            .await?;
            for key in group {
                if let Some(value) = pages.remove(&key.parent_id) {
                    out.insert(key.clone(), value);
                }
            }
        }
        Ok(out)
    }
}
