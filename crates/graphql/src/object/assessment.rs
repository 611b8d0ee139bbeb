//! `Assessment` and what hangs under it: answers, result, workflow history, recognition
//! decision; and `Candidacy`.

use async_graphql::{Context, ID, Object, SimpleObject};
use khuyenhoc_core::entity::{
    app_user, assessment, assessment_score, assessment_transition, candidacy, criteria_checklist,
    criterion, recognition_decision,
};
use khuyenhoc_core::service::scoring::NOT_MET_LABEL;

use super::checklist::{CriteriaChecklist, Criterion, criteria_of, levels_of};
use super::program::organisation;
use super::{Organisation, User};
use crate::context::loader;
use crate::enums::{AssessmentStatus, CandidacyStatus, LearningModel, SubjectKind};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::loader::ById;
use crate::loader::assessment::{DecisionsOf, ScoresOf, TransitionsOf};
use crate::scalar::{Date, DateTime};

/// Loads a user by id, when the viewer may read it.
async fn user(ctx: &Context<'_>, id: Option<i64>) -> async_graphql::Result<Option<User>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(loader(ctx)?
        .load_one(ById::<app_user::Entity>::of(id))
        .await
        .api()?
        .map(User))
}

/// Loads an organisation by optional id, when the viewer may read it.
async fn organisation_opt(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Organisation>> {
    match id {
        Some(id) => organisation(ctx, id).await,
        None => Ok(None),
    }
}

/// The checklist `id` when readable. The parts of a checklist an assessment shows (levels,
/// criteria) are loaded *after* it, so they are asked for in the same batch round as the same
/// parts under `checklist { … }`: one statement per relation, never one more depending on
/// whether an earlier batch for the same keys had finished.
async fn readable_checklist(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<criteria_checklist::Model>> {
    loader(ctx)?
        .load_one(ById::<criteria_checklist::Entity>::of(id))
        .await
        .api()
}

/// One subject (an organisation, or a named family, clan, community or citizen) assessed
/// against one published checklist version for one year. The total and result are computed by
/// the server from the answers.
#[derive(Debug, Clone)]
pub struct Assessment(pub assessment::Model);

crate::connection!(
    AssessmentConnection,
    AssessmentEdge,
    Assessment,
    "A page of assessments.",
    "An assessment in a page, with its cursor."
);

/// One subject (an organisation, or a named family, clan, community or citizen) assessed
/// against one published checklist version for one year. The total and result are computed by
/// the server from the answers.
#[Object]
impl Assessment {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Assessment, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::AssessmentViewerCan> {
        crate::object::viewer_can::assessment(ctx, &self.0).await
    }

    /// The checklist version used, when readable.
    async fn checklist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CriteriaChecklist>> {
        Ok(loader(ctx)?
            .load_one(ById::<criteria_checklist::Entity>::of(self.0.checklist_id))
            .await
            .api()?
            .map(CriteriaChecklist))
    }

    /// The checklist's code (shared by its versions).
    async fn checklist_code(&self) -> &str {
        &self.0.checklist_code
    }

    /// The learning model assessed.
    async fn model(&self) -> LearningModel {
        self.0.model.into()
    }

    /// The assessing organisation, which owns the record.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }

    /// The candidacy it answers, if any.
    async fn candidacy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Candidacy>> {
        let Some(id) = self.0.candidacy_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<candidacy::Entity>::of(id))
            .await
            .api()?
            .map(Candidacy))
    }

    /// What kind of subject is assessed.
    async fn subject_kind(&self) -> SubjectKind {
        self.0.subject_kind.into()
    }

    /// The organisation assessed, for organisation subjects.
    async fn subject_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation_opt(ctx, self.0.subject_organisation_id).await
    }

    /// The subject's name.
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }

    /// The year assessed.
    async fn period_year(&self) -> i32 {
        self.0.period_year
    }

    /// Workflow state.
    async fn status(&self) -> AssessmentStatus {
        self.0.status.into()
    }

    /// Points sheets: the sum of the points given; indicator sheets: the number of indicators
    /// met.
    async fn total_points(&self) -> Option<i32> {
        self.0.total_points
    }

    /// The result reached, computed from the answers.
    async fn result(&self, ctx: &Context<'_>) -> async_graphql::Result<AssessmentResult> {
        let rank = self.0.result_rank;
        let label = match readable_checklist(ctx, self.0.checklist_id).await? {
            Some(checklist) if rank > 0 => levels_of(ctx, checklist.id)
                .await?
                .into_iter()
                .find(|l| l.rank == rank)
                .map(|l| l.label),
            _ => None,
        };
        let label = label.unwrap_or_else(|| {
            if rank == 0 {
                NOT_MET_LABEL.to_owned()
            } else {
                self.0.result_code.clone()
            }
        });
        Ok(AssessmentResult {
            code: self.0.result_code.clone(),
            label,
            rank,
        })
    }

    /// One entry per criterion of the checklist, in order, with the answer given (if any).
    async fn scores(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AssessmentScore>> {
        let Some(checklist) = readable_checklist(ctx, self.0.checklist_id).await? else {
            return Ok(Vec::new());
        };
        let loader = loader(ctx)?;
        let (criteria, answers) = futures::try_join!(criteria_of(ctx, checklist.id), async {
            loader.load_one(ScoresOf(self.0.id)).await.api()
        })?;
        let mut answers = answers.unwrap_or_default();
        Ok(criteria
            .into_iter()
            .map(|c| {
                let answer = answers
                    .iter()
                    .position(|a| a.criterion_id == c.id)
                    .map(|i| answers.swap_remove(i));
                AssessmentScore {
                    criterion: c,
                    answer,
                }
            })
            .collect())
    }

    /// Workflow history, oldest step first.
    async fn transitions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AssessmentTransition>> {
        Ok(loader(ctx)?
            .load_one(TransitionsOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default()
            .into_iter()
            .map(AssessmentTransition)
            .collect())
    }

    /// The recognition decision, once a passing result is approved.
    async fn recognition_decision(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RecognitionDecision>> {
        Ok(loader(ctx)?
            .load_one(DecisionsOf(self.0.id))
            .await
            .api()?
            .and_then(|rows| rows.into_iter().next())
            .map(RecognitionDecision))
    }

    /// When it was last submitted.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(Into::into)
    }

    /// When it was approved.
    async fn approved_at(&self) -> Option<DateTime> {
        self.0.approved_at.map(Into::into)
    }

    /// Who approved it, when the viewer may read that user.
    async fn approved_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.approved_by).await
    }

    /// The organisation that approved it.
    async fn approver_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation_opt(ctx, self.0.approver_organisation_id).await
    }

    /// Why it was last returned, while it is `RETURNED`.
    async fn return_comment(&self) -> Option<&str> {
        self.0.return_comment.as_deref()
    }

    /// Who opened it, when the viewer may read that user.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.created_by).await
    }

    /// When it was opened.
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
}

/// The result an assessment reached.
#[derive(Debug, Clone, SimpleObject)]
pub struct AssessmentResult {
    /// The level's code, or `NOT_MET`.
    pub code: String,
    /// The level's label, or "Không đạt".
    pub label: String,
    /// The level's rank; 0 when no level is reached.
    pub rank: i32,
}

/// The answer to one criterion of an assessment.
#[derive(Debug, Clone)]
pub struct AssessmentScore {
    criterion: criterion::Model,
    answer: Option<assessment_score::Model>,
}

/// The answer to one criterion of an assessment.
#[Object]
impl AssessmentScore {
    /// The criterion or indicator.
    async fn criterion(&self) -> Criterion {
        Criterion(self.criterion.clone())
    }

    /// Whether it has been answered.
    async fn answered(&self) -> bool {
        self.answer
            .as_ref()
            .is_some_and(|a| a.points.is_some() || a.met.is_some())
    }

    /// Points given (points sheets).
    async fn points(&self) -> Option<i32> {
        self.answer.as_ref().and_then(|a| a.points)
    }

    /// Whether the indicator is met (indicator sheets).
    async fn met(&self) -> Option<bool> {
        self.answer.as_ref().and_then(|a| a.met)
    }

    /// What evidence was checked.
    async fn evidence_note(&self) -> Option<&str> {
        self.answer
            .as_ref()
            .and_then(|a| a.evidence_note.as_deref())
    }
}

/// One step of an assessment's workflow.
#[derive(Debug, Clone)]
pub struct AssessmentTransition(pub assessment_transition::Model);

/// One step of an assessment's workflow.
#[Object]
impl AssessmentTransition {
    /// The state before; `null` for the opening step.
    async fn from_status(&self) -> Option<AssessmentStatus> {
        self.0.from_status.map(Into::into)
    }

    /// The state after.
    async fn to_status(&self) -> AssessmentStatus {
        self.0.to_status.into()
    }

    /// Who acted, when the viewer may read that user.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.actor_user_id).await
    }

    /// The organisation acted for: the assessing one, or the approving ancestor.
    async fn actor_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation_opt(ctx, self.0.actor_organisation_id).await
    }

    /// The comment given (mandatory when returning).
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
}

/// A recognition decision (quyết định công nhận) for an approved assessment's result.
#[derive(Debug, Clone)]
pub struct RecognitionDecision(pub recognition_decision::Model);

crate::connection!(
    RecognitionDecisionConnection,
    RecognitionDecisionEdge,
    RecognitionDecision,
    "A page of recognition decisions.",
    "A recognition decision in a page, with its cursor."
);

/// A recognition decision (quyết định công nhận) for an approved assessment's result.
#[Object]
impl RecognitionDecision {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::RecognitionDecision, self.0.id)
    }

    /// The assessment recognised.
    async fn assessment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Assessment>> {
        Ok(loader(ctx)?
            .load_one(ById::<assessment::Entity>::of(self.0.assessment_id))
            .await
            .api()?
            .map(Assessment))
    }

    /// The assessing organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }

    /// The decision's number.
    async fn decision_number(&self) -> &str {
        &self.0.decision_number
    }

    /// The decision's date.
    async fn decided_on(&self) -> Date {
        self.0.decided_on.into()
    }

    /// The recognising authority as written on the decision.
    async fn authority_name(&self) -> &str {
        &self.0.authority_name
    }

    /// The recognising authority, when it is an organisation of the tree.
    async fn authority_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation_opt(ctx, self.0.authority_organisation_id).await
    }

    /// The result recognised.
    async fn result(&self) -> AssessmentResult {
        AssessmentResult {
            code: self.0.result_code.clone(),
            label: self.0.result_label.clone(),
            rank: self.0.result_rank,
        }
    }

    /// The last day the recognition is valid: the decision date plus the checklist's validity.
    async fn valid_until(&self) -> Date {
        self.0.valid_until.into()
    }

    /// The first day the subject may seek the next level: the decision date plus the
    /// checklist's waiting time.
    async fn next_level_eligible_on(&self) -> Date {
        self.0.next_level_eligible_on.into()
    }

    /// Who recorded it, when the viewer may read that user.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user(ctx, self.0.created_by).await
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// A subject registered at the start of a year as a candidate for a learning model.
#[derive(Debug, Clone)]
pub struct Candidacy(pub candidacy::Model);

crate::connection!(
    CandidacyConnection,
    CandidacyEdge,
    Candidacy,
    "A page of candidacies.",
    "A candidacy in a page, with its cursor."
);

/// A subject registered at the start of a year as a candidate for a learning model.
#[Object]
impl Candidacy {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Candidacy, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::CandidacyViewerCan> {
        crate::object::viewer_can::candidacy(ctx, &self.0).await
    }

    /// The registering organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }

    /// The learning model aimed at.
    async fn model(&self) -> LearningModel {
        self.0.model.into()
    }

    /// What kind of subject registered.
    async fn subject_kind(&self) -> SubjectKind {
        self.0.subject_kind.into()
    }

    /// The organisation, for organisation subjects.
    async fn subject_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        organisation_opt(ctx, self.0.subject_organisation_id).await
    }

    /// The subject's name.
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }

    /// The year.
    async fn period_year(&self) -> i32 {
        self.0.period_year
    }

    /// The level aimed at.
    async fn target_level(&self) -> Option<i32> {
        self.0.target_level
    }

    /// The day it was registered.
    async fn registered_on(&self) -> Date {
        self.0.registered_on.into()
    }

    /// Registered, withdrawn or assessed.
    async fn status(&self) -> CandidacyStatus {
        self.0.status.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
