//! The assessment cycle: candidacies, assessments, answers, submission, approval and return.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::assessment::{self as service, candidacy};

use crate::context::{actor, db, events};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::assessment::{
    ApproveAssessmentInput, AssessmentStepInput, CreateAssessmentInput, RegisterCandidacyInput,
    ReturnAssessmentInput, SaveAssessmentScoresInput,
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
        assessment_payload(service::create(db(ctx)?, events(ctx)?, &actor, new).await)
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
        assessment_payload(service::save_scores(db(ctx)?, &actor, id, input.version, &scores).await)
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
                &actor,
                id,
                input.version,
                input.comment.as_deref(),
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
                &actor,
                id,
                input.version,
                input.comment.as_deref(),
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
                &actor,
                id,
                input.version,
                input.comment.as_deref(),
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
