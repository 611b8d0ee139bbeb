//! `criteriaChecklist(id:)` and `criteriaChecklists(…)`.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::criteria_checklist;
use khuyenhoc_core::service::checklist as service;

use crate::connection::{Total, page_request};
use crate::context::{actor, db, loader, max_page};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::checklist::{CriteriaChecklistFilter, CriteriaChecklistOrder};
use crate::loader::ById;
use crate::object::{CriteriaChecklist, CriteriaChecklistConnection};

/// Reading criteria checklists.
#[derive(Default)]
pub struct ChecklistQuery;

#[Object]
impl ChecklistQuery {
    /// The checklist version with this id, or `null` if it does not exist or the viewer may not
    /// read it.
    async fn criteria_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The checklist's global id.")] id: ID,
    ) -> async_graphql::Result<Option<CriteriaChecklist>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::CriteriaChecklist, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<criteria_checklist::Entity>::of(row))
            .await
            .api()?
            .map(CriteriaChecklist))
    }

    /// The checklist versions the viewer may read: every version owned in its subtrees, and the
    /// published or retired versions its ancestors own (national checklists, the province's
    /// variants).
    #[allow(clippy::too_many_arguments)]
    async fn criteria_checklists(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<CriteriaChecklistFilter>,
        #[graphql(desc = "Sort order. Default: by code.")] order_by: Option<CriteriaChecklistOrder>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<CriteriaChecklistConnection> {
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
        Ok(CriteriaChecklistConnection::new(
            page,
            Total::deferred(total),
            CriteriaChecklist,
        ))
    }
}
