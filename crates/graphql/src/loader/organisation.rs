//! Organisations by id, and the children of many parents at once.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::organisation::Model;
use khuyenhoc_core::page::{Page, PageRequest};
use khuyenhoc_core::service::organisation::{self, OrganisationFilter, OrganisationSort};

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
        let mut by_args: HashMap<&Arc<ChildListArgs>, Vec<i64>> = HashMap::new();
        for key in keys {
            by_args.entry(&key.args).or_default().push(key.parent_id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (args, parents) in by_args {
            let ordering = organisation::ordering(args.sort, args.descending);
            let pages = organisation::children_pages(
                &self.db,
                &actor,
                &parents,
                &args.filter,
                &ordering,
                &args.page,
                self.limits.max_page_size,
            )
            .await?;
            for (parent_id, value) in pages {
                out.insert(
                    ChildOrganisations {
                        parent_id,
                        args: Arc::clone(args),
                    },
                    value,
                );
            }
        }
        Ok(out)
    }
}
