//! Who may take which step on an assessment (or withdraw a candidacy), and from which state: one check per step, used by
//! the step itself before it writes and by permission introspection (`viewerCan`), so what a
//! frontend is told is exactly what the server enforces.

use crate::access::Actor;
use crate::entity::assessment::Model;
use crate::entity::enums::{AssessmentStatus, CandidacyStatus};
use crate::entity::{candidacy, organisation};
use crate::{Error, Result};

/// A change to an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Save answers (draft or returned).
    SaveScores,
    /// Submit a draft or returned assessment.
    Submit,
    /// Submit a returned assessment again.
    Resubmit,
    /// Approve a submitted assessment.
    Approve,
    /// Return a submitted assessment.
    Return,
}

/// Whether `actor` may take `step` on `assessment` (assessed by `org`) now: `Ok` with the
/// organisation the actor acts for, or the refusal the step reports (`FORBIDDEN`, `LOCKED`,
/// `INVALID_STATE`, `INVALID_TRANSITION`). Checks the role first, then the state.
pub fn check(
    step: Step,
    actor: &Actor,
    assessment: &Model,
    org: &organisation::Model,
) -> Result<i64> {
    use AssessmentStatus::{Approved, Draft, Returned, Submitted};
    let acting_for = match step {
        Step::SaveScores | Step::Submit | Step::Resubmit => {
            actor.require(
                actor.can_edit_records_of(&org.path),
                "only editors of the assessing organisation can change it",
            )?;
            org.id
        }
        Step::Approve | Step::Return => actor
            .approving_organisation_for(org.id, &org.path)
            .ok_or_else(|| {
                Error::Forbidden(
                    "only editors or administrators of an organisation above the assessing one \
                     approve or return it, and never for their own organisation"
                        .into(),
                )
            })?,
    };
    match (step, assessment.status) {
        (_, Approved) => Err(locked()),
        (Step::SaveScores, Draft | Returned)
        | (Step::Submit, Draft | Returned)
        | (Step::Resubmit, Returned)
        | (Step::Approve | Step::Return, Submitted) => Ok(acting_for),
        (Step::SaveScores, Submitted) => Err(Error::invalid(
            "id",
            "INVALID_STATE",
            "a submitted assessment waits for its approver; it can change again if returned",
        )),
        (Step::Submit | Step::Resubmit, Submitted) => {
            Err(invalid_transition("the assessment is already submitted"))
        }
        (Step::Resubmit, Draft) => Err(invalid_transition(
            "only a returned assessment is resubmitted; submit a draft",
        )),
        (Step::Approve | Step::Return, Draft | Returned) => Err(invalid_transition(
            "only a submitted assessment can be approved or returned",
        )),
    }
}

/// `LOCKED` for an approved assessment.
pub(super) fn locked() -> Error {
    Error::invalid(
        "id",
        "LOCKED",
        "an approved assessment is locked and cannot be changed",
    )
}

pub(super) fn invalid_transition(message: &str) -> Error {
    Error::invalid("status", "INVALID_TRANSITION", message)
}

/// What `actor` may do to `assessment` (assessed by `org`) now, step by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
    /// `saveAssessmentScores`.
    pub save_scores: bool,
    /// `submitAssessment`.
    pub submit: bool,
    /// `resubmitAssessment`.
    pub resubmit: bool,
    /// `approveAssessment`.
    pub approve: bool,
    /// `returnAssessment`.
    pub return_assessment: bool,
}

/// [`check`] for every step.
pub fn abilities(actor: &Actor, assessment: &Model, org: &organisation::Model) -> Abilities {
    let may = |step| check(step, actor, assessment, org).is_ok();
    Abilities {
        save_scores: may(Step::SaveScores),
        submit: may(Step::Submit),
        resubmit: may(Step::Resubmit),
        approve: may(Step::Approve),
        return_assessment: may(Step::Return),
    }
}

/// Whether `actor` may withdraw `candidacy` (registered by `org`) now: `Ok`, or the refusal
/// `withdrawCandidacy` reports.
pub fn check_withdraw(
    actor: &Actor,
    candidacy: &candidacy::Model,
    org: &organisation::Model,
) -> Result<()> {
    actor.require(
        actor.can_edit_records_of(&org.path),
        "only editors of the registering organisation can withdraw it",
    )?;
    if candidacy.status == CandidacyStatus::Registered {
        Ok(())
    } else {
        Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            "only a registered candidacy can be withdrawn",
        ))
    }
}
