//! Who may change a program or one of its reports, and in which state: one check per action,
//! used by the action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::enums::{ProgramStatus, ReportStatus};
use crate::entity::{program, program_report};
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
