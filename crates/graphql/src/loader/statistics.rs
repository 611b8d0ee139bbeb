//! Roll-up statistics of many organisations at once: one batch per [`StatisticsQuery`] (year,
//! model, how finely the children are read), whatever the number of organisations in the
//! query (see `khuyenhoc_core::service::statistics`).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::service::statistics::{self as service, Rollup, StatisticsQuery};

use super::Loaders;
use crate::error::ApiError;

/// Key: the statistics of one organisation for one query. Absent from a batch's answer when
/// the viewer may not see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatisticsOf {
    /// The organisation.
    pub organisation_id: i64,
    /// Year and model.
    pub query: StatisticsQuery,
}

impl Loader<StatisticsOf> for Loaders {
    type Value = Arc<Rollup>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[StatisticsOf],
    ) -> Result<HashMap<StatisticsOf, Arc<Rollup>>, ApiError> {
        let actor = self.actor()?;
        let mut by_query: HashMap<StatisticsQuery, Vec<i64>> = HashMap::new();
        for key in keys {
            by_query
                .entry(key.query)
                .or_default()
                .push(key.organisation_id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (query, ids) in by_query {
            for (organisation_id, rollup) in
                service::rollups(&self.db, &actor, &ids, &query).await?
            {
                out.insert(
                    StatisticsOf {
                        organisation_id,
                        query,
                    },
                    Arc::new(rollup),
                );
            }
        }
        Ok(out)
    }
}
