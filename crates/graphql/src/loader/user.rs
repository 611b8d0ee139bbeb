//! Users by id and the memberships of many users at once.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::membership;
use khuyenhoc_core::service::user;

use super::Loaders;
use crate::error::ApiError;

/// Key: the live memberships of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembershipsOf(pub i64);

impl Loader<MembershipsOf> for Loaders {
    type Value = Vec<membership::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[MembershipsOf],
    ) -> Result<HashMap<MembershipsOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = user::memberships(&self.db, &*self.actor()?, &ids, false).await?;
        let mut out: HashMap<MembershipsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            out.entry(MembershipsOf(row.user_id)).or_default().push(row);
        }
        Ok(out)
    }
}
