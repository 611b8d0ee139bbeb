//! Permission introspection: `viewerCan` on every type with mutations, so a frontend shows only
//! the buttons that will work. Each answer comes from the same check the mutation runs before it
//! writes (`khuyenhoc_core::service::*::rules`): the viewer's roles and the object's current
//! state. Input the mutation has not seen yet (a new parent, a decision, required answers) can
//! still be refused.

use async_graphql::{Context, SimpleObject};
use khuyenhoc_core::access::Actor;
use khuyenhoc_core::entity::organisation;
use khuyenhoc_core::service::assessment::rules as assessment_rules;
use khuyenhoc_core::service::checklist::rules as checklist_rules;
use khuyenhoc_core::service::organisation::rules as organisation_rules;
use khuyenhoc_core::service::program::rules as program_rules;
use khuyenhoc_core::service::training::rules as training_rules;
use khuyenhoc_core::service::user::rules as user_rules;
use std::sync::Arc;

use crate::context::{actor, loader};
use crate::error::IntoApi;
use crate::loader::ById;
use crate::loader::policy::{MembershipPaths, PolicyOrganisation, ProgramOwner};

/// The viewer, or `None` when signed out (who may do nothing).
fn viewer(ctx: &Context<'_>) -> Option<Arc<Actor>> {
    actor(ctx).ok()
}

/// Organisation `id` as the policy sees it.
pub(crate) async fn policy_organisation(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<organisation::Model> {
    loader(ctx)?
        .load_one(PolicyOrganisation(id))
        .await
        .api()?
        .ok_or_else(|| crate::error::to_graphql(&khuyenhoc_core::Error::NotFound))
}

/// What the viewer may do to an organisation now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
#[graphql(name = "OrganisationViewerCan")]
pub struct OrganisationViewerCan {
    /// `updateOrganisation`.
    pub update: bool,
    /// `archiveOrganisation` (still refused while it has active children).
    pub archive: bool,
    /// `moveOrganisation` (the new parent must also be one the viewer administers).
    #[graphql(name = "move")]
    pub move_organisation: bool,
    /// `mergeOrganisation` (the target must also be one the viewer administers).
    pub merge: bool,
    /// `createOrganisation` with this organisation as the parent.
    pub create_child: bool,
    /// `inviteUser` to it and `revokeMembership` of its members.
    pub manage_members: bool,
}

/// What the viewer may do to an organisation.
pub(crate) fn organisation(ctx: &Context<'_>, org: &organisation::Model) -> OrganisationViewerCan {
    let Some(actor) = viewer(ctx) else {
        return OrganisationViewerCan::default();
    };
    let a = organisation_rules::abilities(&actor, org);
    OrganisationViewerCan {
        update: a.update,
        archive: a.archive,
        move_organisation: a.move_organisation,
        merge: a.merge,
        create_child: a.create_child,
        manage_members: a.manage_members,
    }
}

/// What the viewer may do to a program now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct ProgramViewerCan {
    /// `updateProgram`.
    pub update: bool,
    /// `changeProgramStatus` to a status the current one leads to.
    pub change_status: bool,
    /// `archiveProgram`.
    pub archive: bool,
}

/// What the viewer may do to `program`.
pub(crate) async fn program(
    ctx: &Context<'_>,
    program: &khuyenhoc_core::entity::program::Model,
) -> async_graphql::Result<ProgramViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(ProgramViewerCan::default());
    };
    let owner = policy_organisation(ctx, program.owner_id).await?;
    let a = program_rules::program_abilities(&actor, program, &owner.path);
    Ok(ProgramViewerCan {
        update: a.update,
        change_status: a.change_status,
        archive: a.archive,
    })
}

/// What the viewer may do to a program report now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct ProgramReportViewerCan {
    /// `updateProgramReport`.
    pub update: bool,
    /// `submitProgramReport`.
    pub submit: bool,
    /// `acknowledgeProgramReport`.
    pub acknowledge: bool,
}

/// What the viewer may do to `report`.
pub(crate) async fn program_report(
    ctx: &Context<'_>,
    report: &khuyenhoc_core::entity::program_report::Model,
) -> async_graphql::Result<ProgramReportViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(ProgramReportViewerCan::default());
    };
    let reporter = policy_organisation(ctx, report.reporting_organisation_id).await?;
    let owner_id = loader(ctx)?
        .load_one(ProgramOwner(report.program_id))
        .await
        .api()?
        .ok_or_else(|| crate::error::to_graphql(&khuyenhoc_core::Error::NotFound))?;
    let owner = policy_organisation(ctx, owner_id).await?;
    let a = program_rules::report_abilities(&actor, report, &reporter.path, &owner.path);
    Ok(ProgramReportViewerCan {
        update: a.update,
        submit: a.submit,
        acknowledge: a.acknowledge,
    })
}

/// What the viewer may do to a training session now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct TrainingSessionViewerCan {
    /// `updateTrainingSession`.
    pub update: bool,
    /// `rescheduleTrainingSession`.
    pub reschedule: bool,
    /// `cancelTrainingSession`.
    pub cancel: bool,
    /// `markTrainingSessionHeld` (once the session has started).
    pub mark_held: bool,
    /// `archiveTrainingSession`.
    pub archive: bool,
}

/// What the viewer may do to `session`.
pub(crate) async fn training_session(
    ctx: &Context<'_>,
    session: &khuyenhoc_core::entity::training_session::Model,
) -> async_graphql::Result<TrainingSessionViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(TrainingSessionViewerCan::default());
    };
    let organiser = policy_organisation(ctx, session.organiser_id).await?;
    let a = training_rules::abilities(&actor, session, &organiser.path);
    Ok(TrainingSessionViewerCan {
        update: a.update,
        reschedule: a.reschedule,
        cancel: a.cancel,
        mark_held: a.mark_held,
        archive: a.archive,
    })
}

/// What the viewer may do to an assessment now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct AssessmentViewerCan {
    /// `saveAssessmentScores` (and `saveAssessments` rows with its id).
    pub save_scores: bool,
    /// `submitAssessment` (required answers and evidence are checked then).
    pub submit: bool,
    /// `resubmitAssessment`.
    pub resubmit: bool,
    /// `approveAssessment` (the decision is checked then).
    pub approve: bool,
    /// `returnAssessment`.
    #[graphql(name = "return")]
    pub return_assessment: bool,
}

/// What the viewer may do to `assessment`.
pub(crate) async fn assessment(
    ctx: &Context<'_>,
    assessment: &khuyenhoc_core::entity::assessment::Model,
) -> async_graphql::Result<AssessmentViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(AssessmentViewerCan::default());
    };
    let org = policy_organisation(ctx, assessment.organisation_id).await?;
    let a = assessment_rules::abilities(&actor, assessment, &org);
    Ok(AssessmentViewerCan {
        save_scores: a.save_scores,
        submit: a.submit,
        resubmit: a.resubmit,
        approve: a.approve,
        return_assessment: a.return_assessment,
    })
}

/// What the viewer may do to a criteria checklist now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct CriteriaChecklistViewerCan {
    /// `updateCriteriaChecklist`.
    pub update: bool,
    /// `publishCriteriaChecklist` (the structure is checked then).
    pub publish: bool,
    /// `retireCriteriaChecklist`.
    pub retire: bool,
}

/// What the viewer may do to `checklist`.
pub(crate) async fn criteria_checklist(
    ctx: &Context<'_>,
    checklist: &khuyenhoc_core::entity::criteria_checklist::Model,
) -> async_graphql::Result<CriteriaChecklistViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(CriteriaChecklistViewerCan::default());
    };
    let owner = policy_organisation(ctx, checklist.owner_id).await?;
    let a = checklist_rules::abilities(&actor, checklist, &owner.path);
    Ok(CriteriaChecklistViewerCan {
        update: a.update,
        publish: a.publish,
        retire: a.retire,
    })
}

/// What the viewer may do to a candidacy now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct CandidacyViewerCan {
    /// `withdrawCandidacy`.
    pub withdraw: bool,
}

/// What the viewer may do to `candidacy`.
pub(crate) async fn candidacy(
    ctx: &Context<'_>,
    candidacy: &khuyenhoc_core::entity::candidacy::Model,
) -> async_graphql::Result<CandidacyViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(CandidacyViewerCan::default());
    };
    let org = policy_organisation(ctx, candidacy.organisation_id).await?;
    Ok(CandidacyViewerCan {
        withdraw: assessment_rules::check_withdraw(&actor, candidacy, &org).is_ok(),
    })
}

/// What the viewer may do to a user account now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct UserViewerCan {
    /// `disableUser` (whatever the account's status).
    pub disable: bool,
    /// `enableUser` (whatever the account's status).
    pub enable: bool,
    /// `setUserPassword` (the password's rules are checked then).
    pub set_password: bool,
}

/// What the viewer may do to `user`.
pub(crate) async fn user(
    ctx: &Context<'_>,
    user: &khuyenhoc_core::entity::app_user::Model,
) -> async_graphql::Result<UserViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(UserViewerCan::default());
    };
    let paths = loader(ctx)?
        .load_one(MembershipPaths(user.id))
        .await
        .api()?
        .unwrap_or_default();
    let a = user_rules::user_abilities(&actor, user, &paths);
    Ok(UserViewerCan {
        disable: a.disable,
        enable: a.enable,
        set_password: a.set_password,
    })
}

/// What the viewer may do to a membership now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct MembershipViewerCan {
    /// `revokeMembership` (the reason is checked then).
    pub revoke: bool,
}

/// What the viewer may do to `membership`.
pub(crate) async fn membership(
    ctx: &Context<'_>,
    membership: &khuyenhoc_core::entity::membership::Model,
) -> async_graphql::Result<MembershipViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(MembershipViewerCan::default());
    };
    let org = policy_organisation(ctx, membership.organisation_id).await?;
    Ok(MembershipViewerCan {
        revoke: user_rules::check_revoke(&actor, membership, &org).is_ok(),
    })
}

/// What the viewer may do to a registration now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct RegistrationViewerCan {
    /// `cancelRegistration`.
    pub cancel: bool,
    /// `markAttendance` (once the session has started).
    pub mark_attendance: bool,
}

/// What the viewer may do to `registration`.
pub(crate) async fn registration(
    ctx: &Context<'_>,
    registration: &khuyenhoc_core::entity::registration::Model,
) -> async_graphql::Result<RegistrationViewerCan> {
    use khuyenhoc_core::entity::training_session;
    let Some(actor) = viewer(ctx) else {
        return Ok(RegistrationViewerCan::default());
    };
    // The mutations find the session in the viewer's scope, as here.
    let Some(session) = loader(ctx)?
        .load_one(ById::<training_session::Entity>::of(
            registration.session_id,
        ))
        .await
        .api()?
    else {
        return Ok(RegistrationViewerCan::default());
    };
    let organiser = policy_organisation(ctx, session.organiser_id).await?;
    let participant = match registration.organisation_id {
        Some(id) => loader(ctx)?
            .load_one(PolicyOrganisation(id))
            .await
            .api()?
            .map(|o| o.path),
        None => None,
    };
    let a = training_rules::registration_abilities(
        &actor,
        registration,
        &session,
        &organiser.path,
        participant.as_deref(),
    );
    Ok(RegistrationViewerCan {
        cancel: a.cancel,
        mark_attendance: a.mark_attendance,
    })
}

/// Program `id` in the viewer's scope (as the mutations on its parts find it) and its owner's
/// path, or `None` when the viewer cannot read it.
async fn program_with_owner(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<(khuyenhoc_core::entity::program::Model, String)>> {
    use khuyenhoc_core::entity::program;
    let Some(program) = loader(ctx)?
        .load_one(ById::<program::Entity>::of(id))
        .await
        .api()?
    else {
        return Ok(None);
    };
    let owner = policy_organisation(ctx, program.owner_id).await?;
    Ok(Some((program, owner.path)))
}

/// What the viewer may do to a party of a program now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct ProgramPartyViewerCan {
    /// `removeProgramParty`.
    pub remove: bool,
    /// `createCommitment` for this party (the commitment's fields are checked then).
    pub create_commitment: bool,
}

/// What the viewer may do to `party`.
pub(crate) async fn program_party(
    ctx: &Context<'_>,
    party: &khuyenhoc_core::entity::program_party::Model,
) -> async_graphql::Result<ProgramPartyViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(ProgramPartyViewerCan::default());
    };
    let Some((program, owner_path)) = program_with_owner(ctx, party.program_id).await? else {
        return Ok(ProgramPartyViewerCan::default());
    };
    let a = program_rules::party_abilities(&actor, party, &program, &owner_path);
    Ok(ProgramPartyViewerCan {
        remove: a.remove,
        create_commitment: a.create_commitment,
    })
}

/// What the viewer may do to a commitment now.
#[derive(SimpleObject, Debug, Clone, Copy, Default)]
pub struct CommitmentViewerCan {
    /// `updateCommitment` (the new values are checked then).
    pub update: bool,
    /// `archiveCommitment`.
    pub archive: bool,
}

/// What the viewer may do to `commitment`.
pub(crate) async fn commitment(
    ctx: &Context<'_>,
    commitment: &khuyenhoc_core::entity::commitment::Model,
) -> async_graphql::Result<CommitmentViewerCan> {
    let Some(actor) = viewer(ctx) else {
        return Ok(CommitmentViewerCan::default());
    };
    let Some((program, owner_path)) = program_with_owner(ctx, commitment.program_id).await? else {
        return Ok(CommitmentViewerCan::default());
    };
    let a = program_rules::commitment_abilities(&actor, commitment, &program, &owner_path);
    Ok(CommitmentViewerCan {
        update: a.update,
        archive: a.archive,
    })
}
