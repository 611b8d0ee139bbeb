//! Apollo Federation entity resolvers (`_entities`), served only when federation is switched
//! on. Each key resolves through the same scoped loader as `node`: an object outside the
//! viewer's scope resolves to `null`, exactly like a missing one.

use async_graphql::{Context, ID, Object};

use crate::context::loader;
use crate::error::IntoApi;
use crate::id::{NodeType, decode_any};
use crate::loader::ById;
use crate::object::{Assessment, Organisation, Program, TrainingSession};
use khuyenhoc_core::entity;

/// The entities other subgraphs may reference by `id`.
#[derive(Default)]
pub struct EntityQuery;

/// The row id in `id` when it is a global id of `expected`.
fn row(id: &ID, expected: NodeType) -> Option<i64> {
    decode_any(id).and_then(|(ty, row)| (ty == expected).then_some(row))
}

macro_rules! entity {
    ($ctx:expr, $id:expr, $node:ident, $entity:ident, $object:ident) => {{
        crate::context::actor($ctx)?;
        let Some(row) = row(&$id, NodeType::$node) else {
            return Ok(None);
        };
        Ok(loader($ctx)?
            .load_one(ById::<entity::$entity::Entity>::of(row))
            .await
            .api()?
            .map($object))
    }};
}

#[Object]
impl EntityQuery {
    /// An organisation by its global id.
    #[graphql(entity)]
    async fn find_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Organisation>> {
        entity!(ctx, id, Organisation, organisation, Organisation)
    }

    /// A program by its global id.
    #[graphql(entity)]
    async fn find_program_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Program>> {
        entity!(ctx, id, Program, program, Program)
    }

    /// A training session by its global id.
    #[graphql(entity)]
    async fn find_training_session_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<TrainingSession>> {
        entity!(ctx, id, TrainingSession, training_session, TrainingSession)
    }

    /// An assessment by its global id.
    #[graphql(entity)]
    async fn find_assessment_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Assessment>> {
        entity!(ctx, id, Assessment, assessment, Assessment)
    }
}
