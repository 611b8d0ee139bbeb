//! The parts of checklists, batched: one statement per relation for all checklists of a query.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{checklist_result_level, criteria_group, criterion};
use khuyenhoc_core::service::checklist as service;

use super::Loaders;
use crate::error::ApiError;

/// Declares a key for "all X of one parent", loaded by a service call that returns the rows of
/// many parents already grouped by parent id.
macro_rules! grouped_by_parent {
    ($(#[$meta:meta])* $key:ident => $value:ty, |$l:ident, $ids:ident| $load:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, ApiError> {
                let $l = self;
                let $ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let mut found: HashMap<i64, Vec<$value>> = $load;
                Ok(keys.iter().map(|k| (*k, found.remove(&k.0).unwrap_or_default())).collect())
            }
        }
    };
}
pub(crate) use grouped_by_parent;

grouped_by_parent!(
    /// Key: the groups of a checklist, in order.
    GroupsOf => criteria_group::Model,
    |l, ids| service::groups(&l.db, &*l.actor()?, &ids).await?
);
grouped_by_parent!(
    /// Key: the criteria of a checklist, group by group, in order.
    CriteriaOf => criterion::Model,
    |l, ids| service::criteria(&l.db, &*l.actor()?, &ids).await?
);
grouped_by_parent!(
    /// Key: the result levels of a checklist, lowest first.
    LevelsOf => checklist_result_level::Model,
    |l, ids| service::levels(&l.db, &*l.actor()?, &ids).await?
);
