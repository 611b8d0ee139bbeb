//! Who may change a program, one of its parties, commitments or reports, and in which state:
//! one check per action, used by the action itself and by permission introspection
//! (`viewerCan`).

use crate::access::Actor;
use crate::entity::enums::{ProgramStatus, ReportStatus};
use crate::entity::{commitment, program, program_party, program_report};
use crate::{Error, Result};

/// A change to a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramAction {
    /// Change its details, parties, commitments or legal basis.
    Update,
    /// Move it along its lifecycle (to a status its current one allows).
    ChangeStatus,
    /// Archive it.
    Archive,
}

/// `Ok` when `actor` may take `action` on `program` (owned at `owner_path`) in its current
/// state, otherwise the refusal the action reports. The role is checked first, then the state.
pub fn check_program(
    action: ProgramAction,
    actor: &Actor,
    program: &program::Model,
    owner_path: &str,
) -> Result<()> {
    actor.require(
        actor.can_edit_records_of(owner_path),
        "only editors of the program's owner can change it",
    )?;
    let archived = program.archived_at.is_some();
    let finished = matches!(
        program.status,
        ProgramStatus::Completed | ProgramStatus::Terminated
    );
    match action {
        ProgramAction::Update if archived || finished => Err(Error::Conflict(
            "a completed, terminated or archived program cannot be changed".into(),
        )),
        ProgramAction::ChangeStatus if archived => Err(Error::Conflict(
            "an archived program cannot change status".into(),
        )),
        ProgramAction::ChangeStatus if finished => Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            format!("a {} program cannot change status", program.status.as_str()),
        )),
        ProgramAction::Archive if archived => {
            Err(Error::Conflict("the program is already archived".into()))
        }
        ProgramAction::Update | ProgramAction::ChangeStatus | ProgramAction::Archive => Ok(()),
    }
}

/// What `actor` may do to a program now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramAbilities {
    /// `updateProgram`.
    pub update: bool,
    /// `changeProgramStatus` (to a status the current one leads to).
    pub change_status: bool,
    /// `archiveProgram`.
    pub archive: bool,
}

/// [`check_program`] for every action.
pub fn program_abilities(
    actor: &Actor,
    program: &program::Model,
    owner_path: &str,
) -> ProgramAbilities {
    let may = |action| check_program(action, actor, program, owner_path).is_ok();
    ProgramAbilities {
        update: may(ProgramAction::Update),
        change_status: may(ProgramAction::ChangeStatus),
        archive: may(ProgramAction::Archive),
    }
}

/// A change to a program report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    /// Change a draft.
    Update,
    /// Submit a draft.
    Submit,
    /// Acknowledge a submitted report.
    Acknowledge,
}

/// `Ok` when `actor` may take `action` on `report` (by the organisation at `reporter_path`, on a
/// program owned at `owner_path`) in its current state, otherwise the refusal the action
/// reports. The role is checked first, then the state.
pub fn check_report(
    action: ReportAction,
    actor: &Actor,
    report: &program_report::Model,
    reporter_path: &str,
    owner_path: &str,
) -> Result<()> {
    let (allowed, reason) = match action {
        ReportAction::Update => (
            actor.can_edit_records_of(reporter_path),
            "only editors of the reporting organisation can change it",
        ),
        ReportAction::Submit => (
            actor.can_edit_records_of(reporter_path),
            "only editors of the reporting organisation can submit it",
        ),
        ReportAction::Acknowledge => (
            actor.can_acknowledge(owner_path, reporter_path),
            "only editors of the program's owner acknowledge reports, and never their own \
             organisation's",
        ),
    };
    actor.require(allowed, reason)?;
    match (action, report.status) {
        (ReportAction::Update | ReportAction::Submit, ReportStatus::Draft)
        | (ReportAction::Acknowledge, ReportStatus::Submitted) => Ok(()),
        (ReportAction::Update, _) => {
            Err(Error::Conflict("only a draft report can be changed".into()))
        }
        (ReportAction::Submit, _) => Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            "only a draft report can be submitted",
        )),
        (ReportAction::Acknowledge, _) => Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            "only a submitted report can be acknowledged",
        )),
    }
}

/// What `actor` may do to a report now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAbilities {
    /// `updateProgramReport`.
    pub update: bool,
    /// `submitProgramReport`.
    pub submit: bool,
    /// `acknowledgeProgramReport`.
    pub acknowledge: bool,
}

/// [`check_report`] for every action.
pub fn report_abilities(
    actor: &Actor,
    report: &program_report::Model,
    reporter_path: &str,
    owner_path: &str,
) -> ReportAbilities {
    let may = |action| check_report(action, actor, report, reporter_path, owner_path).is_ok();
    ReportAbilities {
        update: may(ReportAction::Update),
        submit: may(ReportAction::Submit),
        acknowledge: may(ReportAction::Acknowledge),
    }
}

/// A change to a party of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyAction {
    /// Remove it from the program (its commitments are archived with it).
    Remove,
    /// Add a commitment of it.
    CreateCommitment,
}

/// `Ok` when `actor` may take `action` on `party` of `program` (owned at `owner_path`) in its
/// current state, otherwise the refusal the action reports: a change to a party is a change to
/// its program ([`ProgramAction::Update`]), and the owner's own party stays.
pub fn check_party(
    action: PartyAction,
    actor: &Actor,
    party: &program_party::Model,
    program: &program::Model,
    owner_path: &str,
) -> Result<()> {
    check_program(ProgramAction::Update, actor, program, owner_path)?;
    if party.removed_at.is_some() {
        return Err(Error::Conflict(
            "the party was removed from the program".into(),
        ));
    }
    match action {
        PartyAction::Remove if party.organisation_id == program.owner_id => Err(Error::Conflict(
            "the program's owner cannot be removed from its parties".into(),
        )),
        PartyAction::Remove | PartyAction::CreateCommitment => Ok(()),
    }
}

/// What `actor` may do to a party now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyAbilities {
    /// `removeProgramParty`.
    pub remove: bool,
    /// `createCommitment` for this party.
    pub create_commitment: bool,
}

/// [`check_party`] for every action.
pub fn party_abilities(
    actor: &Actor,
    party: &program_party::Model,
    program: &program::Model,
    owner_path: &str,
) -> PartyAbilities {
    let may = |action| check_party(action, actor, party, program, owner_path).is_ok();
    PartyAbilities {
        remove: may(PartyAction::Remove),
        create_commitment: may(PartyAction::CreateCommitment),
    }
}

/// A change to a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentAction {
    /// Change it.
    Update,
    /// Archive it.
    Archive,
}

/// `Ok` when `actor` may take `action` on `commitment` of `program` (owned at `owner_path`) in
/// its current state, otherwise the refusal the action reports: a change to a commitment is a
/// change to its program ([`ProgramAction::Update`]), and an archived commitment stays as it is.
pub fn check_commitment(
    action: CommitmentAction,
    actor: &Actor,
    commitment: &commitment::Model,
    program: &program::Model,
    owner_path: &str,
) -> Result<()> {
    check_program(ProgramAction::Update, actor, program, owner_path)?;
    match action {
        _ if commitment.archived_at.is_none() => Ok(()),
        CommitmentAction::Update => Err(Error::Conflict(
            "an archived commitment cannot be changed".into(),
        )),
        CommitmentAction::Archive => {
            Err(Error::Conflict("the commitment is already archived".into()))
        }
    }
}

/// What `actor` may do to a commitment now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitmentAbilities {
    /// `updateCommitment`.
    pub update: bool,
    /// `archiveCommitment`.
    pub archive: bool,
}

/// [`check_commitment`] for every action.
pub fn commitment_abilities(
    actor: &Actor,
    commitment: &commitment::Model,
    program: &program::Model,
    owner_path: &str,
) -> CommitmentAbilities {
    let may = |action| check_commitment(action, actor, commitment, program, owner_path).is_ok();
    CommitmentAbilities {
        update: may(CommitmentAction::Update),
        archive: may(CommitmentAction::Archive),
    }
}
