//! `assessment(id:)`, `assessments(…)`, `approvalQueue(…)`, `candidacies(…)` and
//! `expiringRecognitions(…)`.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::assessment;
use khuyenhoc_core::service::assessment::{self as service, candidacy, recognition};

use crate::connection::{Total, page_request};
use crate::context::{actor, db, loader, max_page};
use crate::error::IntoApi;
use crate::id::{NodeType, decode, decode_opt};
use crate::input::assessment::{AssessmentFilter, AssessmentOrder, CandidacyFilter};
use crate::loader::ById;
use crate::object::{
    Assessment, AssessmentConnection, Candidacy, CandidacyConnection, RecognitionDecision,
    RecognitionDecisionConnection,
};
use crate::scalar::Date;

/// Reading assessments, candidacies and recognitions.
#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// The assessment with this id, or `null` if it does not exist or the viewer may not read it.
    async fn assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Assessment>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::Assessment, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<assessment::Entity>::of(row))
            .await
            .api()?
            .map(Assessment))
    }

    /// The assessments the viewer may read: those of organisations in its subtrees, and those
    /// whose subject is an organisation in its subtrees.
    #[allow(clippy::too_many_arguments)]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<AssessmentFilter>,
        #[graphql(desc = "Sort order. Default: by creation time.")] order_by: Option<
            AssessmentOrder,
        >,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AssessmentConnection> {
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
        Ok(AssessmentConnection::new(
            page,
            Total::deferred(total),
            Assessment,
        ))
    }

    /// The submitted assessments the viewer may approve or return, longest waiting first: those
    /// of organisations below one where it is EDITOR or ADMIN, never of an organisation where it
    /// holds a role itself.
    async fn approval_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the queue.")] filter: Option<AssessmentFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AssessmentConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let request = page_request(first, after, last, before).api()?;
        let (page, total) =
            service::approval_queue(db(ctx)?, &actor, &filter, &request, max_page(ctx))
                .await
                .api()?;
        Ok(AssessmentConnection::new(
            page,
            Total::deferred(total),
            Assessment,
        ))
    }

    /// The candidacies the viewer may read, by subject name.
    async fn candidacies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<CandidacyFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<CandidacyConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = candidacy::list(db(ctx)?, &actor, &filter, &request, max_page(ctx))
            .await
            .api()?;
        Ok(CandidacyConnection::new(
            page,
            Total::deferred(total),
            Candidacy,
        ))
    }

    /// The recognitions the viewer may read that are valid until a day before `expiringBefore`,
    /// soonest to expire first — the subjects to reassess.
    #[allow(clippy::too_many_arguments)]
    async fn expiring_recognitions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only recognitions valid until a day before this one.")]
        expiring_before: Date,
        #[graphql(
            desc = "Only recognitions valid until this day or later (e.g. today, to leave out lapsed ones)."
        )]
        expiring_from: Option<Date>,
        #[graphql(desc = "Only recognitions of organisations within this organisation's subtree.")]
        within_organisation: Option<ID>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<RecognitionDecisionConnection> {
        let actor = actor(ctx)?;
        let filter = recognition::ExpiringFilter {
            before: expiring_before.0,
            from: expiring_from.map(|d| d.0),
            within_organisation: decode_opt(
                within_organisation.as_ref(),
                NodeType::Organisation,
                "withinOrganisation",
            )
            .api()?,
        };
        let request = page_request(first, after, last, before).api()?;
        let (page, total) =
            recognition::expiring(db(ctx)?, &actor, &filter, &request, max_page(ctx))
                .await
                .api()?;
        Ok(RecognitionDecisionConnection::new(
            page,
            Total::deferred(total),
            RecognitionDecision,
        ))
    }
}
