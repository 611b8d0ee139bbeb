//! `organisation(id:)` and `organisations(…)`.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::service::organisation as service;

use crate::connection::{Total, page_request};
use crate::context::{actor, db, loader, max_page};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::organisation::{OrganisationFilter, OrganisationOrder};
use crate::loader::ById;
use crate::object::{Organisation, OrganisationConnection};

/// Reading organisations.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// The organisation with this id, or `null` if it does not exist or the viewer may not read it.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Organisation>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::Organisation, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::organisation::Entity>::of(
                row,
            ))
            .await
            .api()?
            .map(Organisation))
    }

    /// The organisations the viewer may read: its own subtrees, their ancestors, and the
    /// parties and owners of programs it may read.
    #[allow(clippy::too_many_arguments)]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<OrganisationFilter>,
        #[graphql(desc = "Sort order. Default: by name.")] order_by: Option<OrganisationOrder>,
        #[graphql(desc = "Rows from the start (default 20, at most the server's page limit).")]
        first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let request = page_request(first, after, last, before).api()?;
        let ordering = order_by.unwrap_or_default().ordering();
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
        Ok(OrganisationConnection::new(
            page,
            Total::deferred(total),
            Organisation,
        ))
    }
}
