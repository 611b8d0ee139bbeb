//! Any scoped entity by id: one `WHERE id IN (…)` per entity type per batch.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::access::Scoped;
use khuyenhoc_core::entity::WithId;
use khuyenhoc_core::service::lookup;

use super::Loaders;
use crate::error::ApiError;

/// Key: the row `id` of entity `E`.
pub struct ById<E>(pub i64, PhantomData<fn() -> E>);

impl<E> ById<E> {
    /// The key of row `id`.
    pub fn of(id: i64) -> Self {
        Self(id, PhantomData)
    }
}

impl<E> Clone for ById<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for ById<E> {}
impl<E> PartialEq for ById<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ById<E> {}
impl<E> Hash for ById<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<E> std::fmt::Debug for ById<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ById({})", self.0)
    }
}

impl<E> Loader<ById<E>> for Loaders
where
    E: Scoped + WithId + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = E::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, E::Model>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = lookup::by_ids::<E>(&self.db, &*self.actor()?, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|m| (ById::of(E::id_of(&m)), m))
            .collect())
    }
}
