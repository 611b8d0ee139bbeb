//! What the write policy needs to answer `viewerCan`: organisations, program owners and the
//! organisations of a user's memberships, read whether or not the viewer may read them. These values only feed policy decisions, never a
//! response, so reading them outside the viewer's scope leaks nothing.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{organisation, program};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Loaders;
use crate::error::ApiError;

/// Key: an organisation as the policy sees it (its path and status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyOrganisation(pub i64);

impl Loader<PolicyOrganisation> for Loaders {
    type Value = organisation::Model;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PolicyOrganisation],
    ) -> Result<HashMap<PolicyOrganisation, organisation::Model>, ApiError> {
        let rows = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(khuyenhoc_core::Error::from)?;
        Ok(rows
            .into_iter()
            .map(|o| (PolicyOrganisation(o.id), o))
            .collect())
    }
}

/// Key: the owner of program `.0`, as the policy sees it (for reports on the program).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgramOwner(pub i64);

impl Loader<ProgramOwner> for Loaders {
    type Value = i64;
    type Error = ApiError;

    async fn load(&self, keys: &[ProgramOwner]) -> Result<HashMap<ProgramOwner, i64>, ApiError> {
        let rows: Vec<(i64, i64)> = program::Entity::find()
            .select_only()
            .column(program::Column::Id)
            .column(program::Column::OwnerId)
            .filter(program::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(khuyenhoc_core::Error::from)?;
        Ok(rows
            .into_iter()
            .map(|(id, owner)| (ProgramOwner(id), owner))
            .collect())
    }
}

/// Key: the organisation paths of user `.0`'s live memberships, as the policy on administering
/// the account sees them (all of them, readable or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembershipPaths(pub i64);

impl Loader<MembershipPaths> for Loaders {
    type Value = Vec<String>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[MembershipPaths],
    ) -> Result<HashMap<MembershipPaths, Vec<String>>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut paths = khuyenhoc_core::service::user::membership_paths(&self.db, &ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, paths.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}
