//! The assessment cycle: candidacies, assessments, answers, submission, approval and return.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::assessment::bulk::{self, BulkOutcome};
use khuyenhoc_core::service::assessment::{self as service, StepRequest, candidacy};

use crate::context::{actor, db, events, sheets};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::assessment::{
    ApproveAssessmentInput, AssessmentStepInput, CreateAssessmentInput, RegisterCandidacyInput,
    ReturnAssessmentInput, SaveAssessmentScoresInput, SaveAssessmentsInput,
};
use crate::input::program::VersionedInput;
use crate::object::payload::split;
use crate::object::{Assessment, Candidacy, UserError};

/// Result of a change to an assessment.
#[derive(SimpleObject)]
pub struct AssessmentPayload {
    /// The assessment after the change; `null` when `userErrors` is not empty.
    pub assessment: Option<Assessment>,
    /// Why the input was rejected (e.g. `DUPLICATE`, `LOCKED`, `INVALID_TRANSITION`,
    /// `EVIDENCE_REQUIRED`); empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a candidacy.
#[derive(SimpleObject)]
pub struct CandidacyPayload {
    /// The candidacy after the change; `null` when `userErrors` is not empty.
    pub candidacy: Option<Candidacy>,
    /// Why the input was rejected (e.g. `DUPLICATE`); empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a bulk save: every row saved, or none.
#[derive(SimpleObject)]
pub struct SaveAssessmentsPayload {
    /// The assessments after the change, in row order; empty when anything was refused.
    pub assessments: Vec<Assessment>,
    /// Every refused row's problems, in row order; when not empty, nothing was written.
    pub row_errors: Vec<BulkRowError>,
    /// Problems with the request as a whole (`rows`: `REQUIRED`, `TOO_MANY`); when not empty,
    /// nothing was written.
    pub user_errors: Vec<UserError>,
}

/// A problem with one row of a bulk request.
#[derive(SimpleObject)]
pub struct BulkRowError {
    /// The row's index in `rows`, from 0.
    pub row: i32,
    /// The field within the row, e.g. `subject.name` or `scores.2.points`; empty when the row
    /// as a whole is refused (e.g. `FORBIDDEN`).
    pub field: String,
    /// Stable code, e.g. `REQUIRED`, `OUT_OF_RANGE`, `DUPLICATE`, `NOT_FOUND`, `CONFLICT`.
    pub code: String,
    /// Explanation for people.
    pub message: String,
}

impl From<bulk::RowError> for BulkRowError {
    fn from(e: bulk::RowError) -> Self {
        Self {
            row: i32::try_from(e.row).unwrap_or(i32::MAX),
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

fn assessment_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::assessment::Model>,
) -> async_graphql::Result<AssessmentPayload> {
    let (assessment, user_errors) = split(r)?;
    Ok(AssessmentPayload {
        assessment: assessment.map(Assessment),
        user_errors,
    })
}

fn candidacy_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::candidacy::Model>,
) -> async_graphql::Result<CandidacyPayload> {
    let (candidacy, user_errors) = split(r)?;
    Ok(CandidacyPayload {
        candidacy: candidacy.map(Candidacy),
        user_errors,
    })
}

/// Assessment mutations.
#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Registers a subject as a candidate for a learning model in a year.
    async fn register_candidacy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: RegisterCandidacyInput,
    ) -> async_graphql::Result<CandidacyPayload> {
        let actor = actor(ctx)?;
        let new = input.to_domain().api()?;
        candidacy_payload(candidacy::register(db(ctx)?, &actor, new).await)
    }

    /// Withdraws a registered candidacy.
    async fn withdraw_candidacy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<CandidacyPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Candidacy, "id").api()?;
        candidacy_payload(candidacy::withdraw(db(ctx)?, &actor, id, input.version).await)
    }

    /// Opens an assessment in `DRAFT` against a published checklist; a second live assessment
    /// of the same subject, checklist code and year is refused (`DUPLICATE`).
    async fn create_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateAssessmentInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let new = input.to_domain().api()?;
        assessment_payload(service::create(db(ctx)?, events(ctx)?, sheets(ctx)?, &actor, new).await)
    }

    /// Saves answers to a draft or returned assessment; the total and result are recomputed.
    async fn save_assessment_scores(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: SaveAssessmentScoresInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Assessment, "id").api()?;
        let scores = input.scores();
        let saved =
            service::save_scores(db(ctx)?, sheets(ctx)?, &actor, id, input.version, &scores);
        assessment_payload(saved.await)
    }

    /// Opens or answers up to 1,000 assessments in one request, all or nothing: each row is
    /// checked exactly as `createAssessment` (then `saveAssessmentScores`) or
    /// `saveAssessmentScores` would check it, and if any row is refused nothing is written and
    /// every refused row is reported in `rowErrors`.
    async fn save_assessments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rows to save.")] input: SaveAssessmentsInput,
    ) -> async_graphql::Result<SaveAssessmentsPayload> {
        let actor = actor(ctx)?;
        let rows = input.rows.iter().map(|r| r.to_domain()).collect();
        let (outcome, user_errors) =
            split(bulk::save_many(db(ctx)?, events(ctx)?, sheets(ctx)?, &actor, rows).await)?;
        Ok(match outcome {
            Some(BulkOutcome::Saved(models)) => SaveAssessmentsPayload {
                assessments: models.into_iter().map(Assessment).collect(),
                row_errors: Vec::new(),
                user_errors,
            },
            Some(BulkOutcome::Refused(errors)) => SaveAssessmentsPayload {
                assessments: Vec::new(),
                row_errors: errors.into_iter().map(BulkRowError::from).collect(),
                user_errors,
            },
            None => SaveAssessmentsPayload {
                assessments: Vec::new(),
                row_errors: Vec::new(),
                user_errors,
            },
        })
    }

    /// Submits a draft or returned assessment for approval, once every required criterion is
    /// answered and evidence notes are given where required.
    async fn submit_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: AssessmentStepInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Assessment, "id").api()?;
        assessment_payload(
            service::submit(
                db(ctx)?,
                events(ctx)?,
                sheets(ctx)?,
                &actor,
                StepRequest {
                    id,
                    version: input.version,
                    note: input.comment.as_deref(),
                },
            )
            .await,
        )
    }

    /// Submits a returned assessment again (a draft is submitted with `submitAssessment`).
    async fn resubmit_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: AssessmentStepInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Assessment, "id").api()?;
        assessment_payload(
            service::resubmit(
                db(ctx)?,
                events(ctx)?,
                sheets(ctx)?,
                &actor,
                StepRequest {
                    id,
                    version: input.version,
                    note: input.comment.as_deref(),
                },
            )
            .await,
        )
    }

    /// Approves a submitted assessment and locks it, recording the recognition decision of a
    /// passing result. Only editors or administrators of an organisation above the assessing
    /// one, never its own members.
    async fn approve_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: ApproveAssessmentInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Assessment, "id").api()?;
        let decision = input.decision().api()?;
        assessment_payload(
            service::approve(
                db(ctx)?,
                events(ctx)?,
                sheets(ctx)?,
                &actor,
                StepRequest {
                    id,
                    version: input.version,
                    note: input.comment.as_deref(),
                },
                decision,
            )
            .await,
        )
    }

    /// Returns a submitted assessment to its organisation with a comment (the same people as
    /// approval).
    async fn return_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: ReturnAssessmentInput,
    ) -> async_graphql::Result<AssessmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Assessment, "id").api()?;
        assessment_payload(
            service::return_assessment(
                db(ctx)?,
                events(ctx)?,
                &actor,
                id,
                input.version,
                &input.comment,
            )
            .await,
        )
    }
}
