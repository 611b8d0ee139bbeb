//! `trainingSession(id:)` and `trainingSessions(…)`.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::training_session;
use khuyenhoc_core::service::training as service;

use crate::connection::{Total, page_request};
use crate::context::{actor, db, loader, max_page};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::training::{TrainingSessionFilter, TrainingSessionOrder};
use crate::loader::ById;
use crate::object::{TrainingSession, TrainingSessionConnection};

/// Reading training sessions.
#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// The session with this id, or `null` if it does not exist or the viewer may not read it.
    async fn training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's global id.")] id: ID,
    ) -> async_graphql::Result<Option<TrainingSession>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::TrainingSession, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<training_session::Entity>::of(row))
            .await
            .api()?
            .map(TrainingSession))
    }

    /// The sessions the viewer may read: organised or co-organised in its subtrees, of programs
    /// its subtrees own, and — for partner bodies — of the programs they are party to.
    #[allow(clippy::too_many_arguments)]
    async fn training_sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<TrainingSessionFilter>,
        #[graphql(desc = "Sort order. Default: by start time.")] order_by: Option<
            TrainingSessionOrder,
        >,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<TrainingSessionConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let order = order_by.unwrap_or_default();
        let ordering = service::ordering(order.field.into(), order.direction.is_desc());
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = service::list(
            db(ctx)?,
            &actor,
            &filter,
            &ordering,
            &request,
            max_page(ctx),
        )
        .await
        .api()?;
        Ok(TrainingSessionConnection::new(
            page,
            Total::deferred(total),
            TrainingSession,
        ))
    }
}
