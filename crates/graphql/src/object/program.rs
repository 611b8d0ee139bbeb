//! `Program` and its parts: parties, commitments, reports, indicator progress.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::{
    app_user, commitment, organisation, program, program_party, program_report,
    report_indicator_value,
};
use khuyenhoc_core::page::Page;
use khuyenhoc_core::service::program::IndicatorProgress as Progress;

use super::{LegalDocument, Organisation, TrainingSessionConnection, User};
use crate::connection::{Total, page_request};
use crate::context::{loader, max_page};
use crate::enums::{PartyRole, ProgramStatus, ReportKind, ReportStatus};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::input::program::{ProgramReportFilter, ProgramReportOrder};
use crate::input::training::{TrainingSessionFilter, TrainingSessionOrder};
use crate::loader::ById;
use crate::loader::program::{
    CommitmentsOf, IndicatorValuesOf, LegalBasisOf, PartiesOf, ProgressOf, ReportListArgs,
    ReportsOf,
};
use crate::loader::training::SessionsOfProgram;
use crate::object::training::{nested_sessions, session_list_args};
use crate::scalar::{Date, DateTime};

/// Loads a readable organisation by row id.
pub(crate) async fn organisation(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<Organisation>> {
    Ok(loader(ctx)?
        .load_one(ById::<organisation::Entity>::of(id))
        .await
        .api()?
        .map(Organisation))
}

/// A coordination program (chương trình phối hợp) between the association (or a branch) and
/// partner bodies: parties, commitments with indicators, legal basis, and periodic reports.
#[derive(Debug, Clone)]
pub struct Program(pub program::Model);

crate::connection!(
    ProgramConnection,
    ProgramEdge,
    Program,
    "A page of programs.",
    "A program in a page, with its cursor."
);

/// A coordination program (chương trình phối hợp) between the association (or a branch) and
/// partner bodies: parties, commitments with indicators, legal basis, and periodic reports.
#[Object]
impl Program {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Program, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::ProgramViewerCan> {
        crate::object::viewer_can::program(ctx, &self.0).await
    }

    /// Unique code.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The owning organisation (central association or a branch).
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.owner_id).await
    }

    /// Number of the signed agreement.
    async fn agreement_number(&self) -> Option<&str> {
        self.0.agreement_number.as_deref()
    }

    /// Signing date.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Into::into)
    }

    /// Signing place.
    async fn signed_place(&self) -> Option<&str> {
        self.0.signed_place.as_deref()
    }

    /// First day.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }

    /// Last day.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.into()
    }

    /// Lifecycle status.
    async fn status(&self) -> ProgramStatus {
        self.0.status.into()
    }

    /// Objectives.
    async fn objectives(&self) -> Option<&str> {
        self.0.objectives.as_deref()
    }

    /// Content areas.
    async fn content_areas(&self) -> Vec<String> {
        serde_json::from_value(self.0.content_areas.clone()).unwrap_or_default()
    }

    /// Why it was terminated, if it was.
    async fn termination_reason(&self) -> Option<&str> {
        self.0.termination_reason.as_deref()
    }

    /// When it was archived, if it was.
    async fn archived_at(&self) -> Option<DateTime> {
        self.0.archived_at.map(Into::into)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The live parties.
    async fn parties(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgramParty>> {
        let rows = loader(ctx)?
            .load_one(PartiesOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(ProgramParty).collect())
    }

    /// The live commitments of all parties.
    async fn commitments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Commitment>> {
        let rows = loader(ctx)?
            .load_one(CommitmentsOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Commitment).collect())
    }

    /// The legal documents it is based on.
    async fn legal_basis(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LegalDocument>> {
        let rows = loader(ctx)?
            .load_one(LegalBasisOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(|(_, d)| LegalDocument(d)).collect())
    }

    /// Target against the latest reported value, for each commitment (from the reports the
    /// viewer may read).
    async fn indicator_progress(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<IndicatorProgress>> {
        let rows = loader(ctx)?
            .load_one(ProgressOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(IndicatorProgress).collect())
    }

    /// The reports on this program the viewer may read. Loaded for all programs of a query at once.
    #[allow(clippy::too_many_arguments)]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<ProgramReportFilter>,
        #[graphql(desc = "Sort order. Default: newest first.")] order_by: Option<
            ProgramReportOrder,
        >,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ProgramReportConnection> {
        let order = order_by.unwrap_or_default();
        let args = ReportListArgs {
            filter: filter.unwrap_or_default().to_domain().api()?,
            sort: order.field.into(),
            descending: order.direction.is_desc(),
            page: page_request(first, after, last, before).api()?,
        };
        args.page.size(max_page(ctx)).api()?;
        let key = ReportsOf {
            parent: self.0.id,
            args: Arc::new(args),
        };
        let (page, total) = loader(ctx)?
            .load_one(key)
            .await
            .api()?
            .unwrap_or_else(|| (Page::empty(), 0));
        Ok(ProgramReportConnection::new(
            page,
            Total::Known(total),
            ProgramReport,
        ))
    }

    /// The training sessions of this program the viewer may read. Loaded for all programs of a
    /// query at once.
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
            SessionsOfProgram {
                parent: self.0.id,
                args,
            },
        )
        .await
    }
}

/// An organisation taking part in a program.
#[derive(Debug, Clone)]
pub struct ProgramParty(pub program_party::Model);

/// An organisation taking part in a program.
#[Object]
impl ProgramParty {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::ProgramParty, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::ProgramPartyViewerCan> {
        crate::object::viewer_can::program_party(ctx, &self.0).await
    }

    /// The organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }

    /// Its side in the program.
    async fn role(&self) -> PartyRole {
        self.0.role.into()
    }

    /// Who signed for it.
    async fn signatory_name(&self) -> Option<&str> {
        self.0.signatory_name.as_deref()
    }

    /// The signatory's title.
    async fn signatory_title(&self) -> Option<&str> {
        self.0.signatory_title.as_deref()
    }

    /// Its duties under the program.
    async fn duties(&self) -> Option<&str> {
        self.0.duties.as_deref()
    }

    /// When it joined.
    async fn added_at(&self) -> DateTime {
        self.0.added_at.into()
    }

    /// Its live commitments.
    async fn commitments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Commitment>> {
        let rows = loader(ctx)?
            .load_one(CommitmentsOf(self.0.program_id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|c| c.party_id == self.0.id)
            .map(Commitment)
            .collect())
    }
}

/// What one party commits to, measured by an indicator with a target.
#[derive(Debug, Clone)]
pub struct Commitment(pub commitment::Model);

/// What one party commits to, measured by an indicator with a target.
#[Object]
impl Commitment {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Commitment, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::CommitmentViewerCan> {
        crate::object::viewer_can::commitment(ctx, &self.0).await
    }

    /// What is committed.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The indicator (chỉ tiêu) measuring it.
    async fn indicator(&self) -> &str {
        &self.0.indicator
    }

    /// Unit of the indicator.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// Target value.
    async fn target_value(&self) -> Option<f64> {
        self.0.target_value
    }

    /// Due date.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Into::into)
    }

    /// Position in the program's list.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// The committing party.
    async fn party(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ProgramParty>> {
        let parties = loader(ctx)?
            .load_one(PartiesOf(self.0.program_id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(parties
            .into_iter()
            .find(|p| p.id == self.0.party_id)
            .map(ProgramParty))
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A result report on a program: annual, mid-term review (sơ kết) or final review (tổng kết).
#[derive(Debug, Clone)]
pub struct ProgramReport(pub program_report::Model);

crate::connection!(
    ProgramReportConnection,
    ProgramReportEdge,
    ProgramReport,
    "A page of program reports.",
    "A program report in a page, with its cursor."
);

/// A result report on a program: annual, mid-term review (sơ kết) or final review (tổng kết).
#[Object]
impl ProgramReport {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::ProgramReport, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::ProgramReportViewerCan> {
        crate::object::viewer_can::program_report(ctx, &self.0).await
    }

    /// The program reported on.
    async fn program(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Program>> {
        Ok(loader(ctx)?
            .load_one(ById::<program::Entity>::of(self.0.program_id))
            .await
            .api()?
            .map(Program))
    }

    /// The reporting organisation.
    async fn reporting_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.reporting_organisation_id).await
    }

    /// Annual, mid-term or final.
    async fn kind(&self) -> ReportKind {
        self.0.kind.into()
    }

    /// The year, for annual reports.
    async fn period_year(&self) -> Option<i32> {
        self.0.period_year
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Kết quả đạt được: achievements.
    async fn achievements(&self) -> Option<&str> {
        self.0.achievements.as_deref()
    }

    /// Tồn tại, hạn chế: shortcomings.
    async fn shortcomings(&self) -> Option<&str> {
        self.0.shortcomings.as_deref()
    }

    /// Đề xuất, kiến nghị: proposals.
    async fn proposals(&self) -> Option<&str> {
        self.0.proposals.as_deref()
    }

    /// Workflow state.
    async fn status(&self) -> ReportStatus {
        self.0.status.into()
    }

    /// When it was submitted.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(Into::into)
    }

    /// When the owner acknowledged it.
    async fn acknowledged_at(&self) -> Option<DateTime> {
        self.0.acknowledged_at.map(Into::into)
    }

    /// Who acknowledged it, if readable.
    async fn acknowledged_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.acknowledged_by else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<app_user::Entity>::of(id))
            .await
            .api()?
            .map(User))
    }

    /// Values reached, per commitment.
    async fn indicator_values(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<IndicatorValue>> {
        let rows = loader(ctx)?
            .load_one(IndicatorValuesOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(IndicatorValue).collect())
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The value a report gives for one commitment's indicator.
#[derive(Debug, Clone)]
pub struct IndicatorValue(pub report_indicator_value::Model);

/// The value a report gives for one commitment's indicator.
#[Object]
impl IndicatorValue {
    /// The commitment.
    async fn commitment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Commitment>> {
        Ok(loader(ctx)?
            .load_one(ById::<commitment::Entity>::of(self.0.commitment_id))
            .await
            .api()?
            .map(Commitment))
    }

    /// The value reached.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A commitment's target against the latest value reported on it.
#[derive(Debug, Clone)]
pub struct IndicatorProgress(pub Progress);

/// A commitment's target against the latest value reported on it.
#[Object]
impl IndicatorProgress {
    /// The commitment.
    async fn commitment(&self) -> Commitment {
        Commitment(self.0.commitment.clone())
    }

    /// The target.
    async fn target_value(&self) -> Option<f64> {
        self.0.commitment.target_value
    }

    /// The latest value from a submitted or acknowledged report.
    async fn latest_value(&self) -> Option<f64> {
        self.0.latest_value
    }

    /// The report that gave the latest value.
    async fn latest_report(&self) -> Option<ProgramReport> {
        self.0.latest_report.clone().map(ProgramReport)
    }

    /// `latestValue / targetValue`, when both are known.
    async fn ratio(&self) -> Option<f64> {
        self.0.ratio()
    }
}
