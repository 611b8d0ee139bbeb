//! Per-request batch loading.
//!
//! One [`Loaders`] value per request (it carries the request's actor, so results are scoped and
//! may be cached for the request's lifetime only). It implements async-graphql's `Loader` once
//! per key type; each key type is one relation, loaded for all parents in one statement.

pub mod assessment;
mod by_id;
pub mod checklist;
pub mod organisation;
pub mod policy;
pub mod program;
pub mod statistics;
pub mod training;
mod user;

use std::sync::Arc;

use khuyenhoc_core::access::Actor;
use sea_orm::DatabaseConnection;

pub use by_id::ById;
pub use organisation::ChildOrganisations;
pub use user::MembershipsOf;

use crate::context::{ActorCell, Limits};
use crate::error::ApiError;

/// The request's loaders.
pub struct Loaders {
    db: DatabaseConnection,
    actor: ActorCell,
    limits: Limits,
}

impl Loaders {
    /// Loaders for one request.
    pub fn new(db: DatabaseConnection, actor: ActorCell, limits: Limits) -> Self {
        Self { db, actor, limits }
    }

    fn actor(&self) -> Result<Arc<Actor>, ApiError> {
        self.actor
            .get()
            .ok_or_else(|| khuyenhoc_core::Error::Unauthenticated.into())
    }
}
