//! `Organisation`: a branch of the association or a partner body (or one of its units).

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::organisation::{self, Model};

use crate::connection::{Total, page_request};
use crate::context::{loader, max_page};
use crate::enums::{OrganisationKind, OrganisationStatus};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::input::organisation::{OrganisationFilter, OrganisationOrder};
use crate::input::program::{ProgramFilter, ProgramOrder};
use crate::input::training::{TrainingSessionFilter, TrainingSessionOrder};
use crate::loader::organisation::ChildListArgs;
use crate::loader::program::{ProgramListArgs, ProgramsOwnedBy};
use crate::loader::training::SessionsOrganisedBy;
use crate::loader::{ById, ChildOrganisations};
use crate::object::training::{nested_sessions, session_list_args};
use crate::object::{Program, ProgramConnection, TrainingSessionConnection};
use crate::scalar::DateTime;

/// An organisation: the central association, a provincial or commune branch, a chi hội or
/// learning-promotion board, or a partner body (ministry, union, media body) or one of its
/// units. Organisations form trees; the association is one tree and each partner body is the
/// root of its own.
#[derive(Debug, Clone)]
pub struct Organisation(pub Model);

crate::connection!(
    OrganisationConnection,
    OrganisationEdge,
    Organisation,
    "A page of organisations.",
    "An organisation in a page, with its cursor."
);

/// An organisation: the central association, a provincial or commune branch, a chi hội or
/// learning-promotion board, or a partner body (ministry, union, media body) or one of its
/// units. Organisations form trees; the association is one tree and each partner body is the
/// root of its own.
#[Object]
impl Organisation {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Organisation, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> crate::object::viewer_can::OrganisationViewerCan {
        crate::object::viewer_can::organisation(ctx, &self.0)
    }

    /// Unique code, e.g. `VAPE`, `HN`, `HN-BADINH`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Full name, with Vietnamese diacritics.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Short name, if any.
    async fn short_name(&self) -> Option<&str> {
        self.0.short_name.as_deref()
    }

    /// What kind of body this is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }

    /// Whether it is active, archived or merged into another.
    async fn status(&self) -> OrganisationStatus {
        self.0.status.into()
    }

    /// Depth in its tree: 0 for the central association and for partner bodies.
    async fn depth(&self) -> i32 {
        self.0.depth
    }

    /// Postal address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Contact email.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Contact phone.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// When it was archived or merged, if it was.
    async fn archived_at(&self) -> Option<DateTime> {
        self.0.archived_at.map(Into::into)
    }

    /// Version for optimistic concurrency: send it back with updates.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The parent organisation; `null` for a root or when the viewer may not read it.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<organisation::Entity>::of(parent))
            .await
            .api()?
            .map(Organisation))
    }

    /// The organisation this one was merged into, when its status is `MERGED`.
    async fn merged_into(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(target) = self.0.merged_into_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<organisation::Entity>::of(target))
            .await
            .api()?
            .map(Organisation))
    }

    /// The ancestors the viewer may read, from the root down to the parent.
    async fn ancestors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let ids = self.0.ancestor_ids();
        let keys = ids.iter().copied().map(ById::<organisation::Entity>::of);
        let mut found = loader(ctx)?.load_many(keys).await.api()?;
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(&ById::<organisation::Entity>::of(*id)))
            .map(Organisation)
            .collect())
    }

    /// Direct children the viewer may read. Loaded for all parents of a query at once.
    #[allow(clippy::too_many_arguments)]
    async fn children(
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
        let order = order_by.unwrap_or_default();
        let args = ChildListArgs {
            filter: filter.unwrap_or_default().to_domain().api()?,
            sort: order.field.into(),
            descending: order.direction.is_desc(),
            page: page_request(first, after, last, before).api()?,
        };
        // Validate the page size here so the error names this field, not a batch.
        args.page.size(max_page(ctx)).api()?;
        let key = ChildOrganisations {
            parent_id: self.0.id,
            parent_path: Arc::from(self.0.path.as_str()),
            args: Arc::new(args),
        };
        let (page, total) = loader(ctx)?
            .load_one(key)
            .await
            .api()?
            .unwrap_or_else(|| (khuyenhoc_core::page::Page::empty(), 0));
        Ok(OrganisationConnection::new(
            page,
            Total::Known(total),
            Organisation,
        ))
    }

    /// Figures rolled up over this organisation's whole subtree for one year, in total and per
    /// child: assessments by result and model, the approval backlog, training sessions held and
    /// their participants, active programs. `null` unless the viewer is a member of this
    /// organisation or of one of its ancestors. Loaded for all organisations of a query at once.
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year: assessment period, calendar year of sessions and programs.")]
        year: i32,
        #[graphql(
            desc = "Only assessments of this learning model (sessions and programs have none)."
        )]
        model: Option<crate::enums::LearningModel>,
    ) -> async_graphql::Result<Option<crate::object::statistics::OrganisationStatistics>> {
        crate::object::statistics::of(ctx, self.0.id, year, model).await
    }

    /// Programs this organisation owns that the viewer may read. Loaded for all organisations
    /// of a query at once.
    #[allow(clippy::too_many_arguments)]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<ProgramFilter>,
        #[graphql(desc = "Sort order. Default: by start date.")] order_by: Option<ProgramOrder>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ProgramConnection> {
        let order = order_by.unwrap_or_default();
        let args = ProgramListArgs {
            filter: filter.unwrap_or_default().to_domain().api()?,
            sort: order.field.into(),
            descending: order.direction.is_desc(),
            page: page_request(first, after, last, before).api()?,
        };
        args.page.size(max_page(ctx)).api()?;
        let key = ProgramsOwnedBy {
            parent: self.0.id,
            args: Arc::new(args),
        };
        let (page, total) = loader(ctx)?
            .load_one(key)
            .await
            .api()?
            .unwrap_or_else(|| (khuyenhoc_core::page::Page::empty(), 0));
        Ok(ProgramConnection::new(page, Total::Known(total), Program))
    }

    /// Training sessions this organisation organises that the viewer may read. Loaded for all
    /// organisations of a query at once.
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
        let page = page_request(first, after, last, before).api()?;
        let args = session_list_args(ctx, filter, order_by, page)?;
        nested_sessions(
            ctx,
            SessionsOrganisedBy {
                parent: self.0.id,
                args,
            },
        )
        .await
    }
}
