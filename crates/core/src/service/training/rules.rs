//! Who may change a training session or one of its registrations, and in which state: one
//! check per action, used by the action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::enums::{RegistrationStatus, SessionStatus};
use crate::entity::registration;
use crate::entity::training_session::Model;
use crate::{Error, Result};

/// A change to a training session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Change its details.
    Update,
    /// Move it in time.
    Reschedule,
    /// Cancel it.
    Cancel,
    /// Record that it took place (once it has started).
    MarkHeld,
    /// Archive a held or cancelled session.
    Archive,
}

impl Action {
    /// How the refusal of a non-planned session names the action.
    fn done(self) -> &'static str {
        match self {
            Self::Update => "changed",
            Self::Reschedule => "rescheduled",
            Self::Cancel => "cancelled",
            Self::MarkHeld => "marked held",
            Self::Archive => "archived",
        }
    }
}

/// `Ok` when `actor` may take `action` on `session` (organised by the organisation at
/// `organiser_path`) in its current state, otherwise the refusal the action reports. The role is
/// checked first, then the state. Whether a session has started (for `MarkHeld`) is a matter of
/// time and stays in the action.
pub fn check(action: Action, actor: &Actor, session: &Model, organiser_path: &str) -> Result<()> {
    actor.require(
        actor.can_edit_records_of(organiser_path),
        "only editors of the organiser can change this session",
    )?;
    if session.archived_at.is_some() {
        return Err(Error::Conflict(
            "an archived session cannot be changed".into(),
        ));
    }
    let planned = session.status == SessionStatus::Planned;
    match action {
        Action::Archive if planned => Err(Error::Conflict(
            "cancel or hold a planned session before archiving it".into(),
        )),
        Action::Archive => Ok(()),
        _ if !planned => Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            format!("only a planned session can be {}", action.done()),
        )),
        _ => Ok(()),
    }
}

/// What `actor` may do to a session now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
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

/// [`check`] for every action.
pub fn abilities(actor: &Actor, session: &Model, organiser_path: &str) -> Abilities {
    let may = |action| check(action, actor, session, organiser_path).is_ok();
    Abilities {
        update: may(Action::Update),
        reschedule: may(Action::Reschedule),
        cancel: may(Action::Cancel),
        mark_held: may(Action::MarkHeld),
        archive: may(Action::Archive),
    }
}

/// A change to a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationAction {
    /// Cancel it and free its seat.
    Cancel,
    /// Record whether the person attended (once the session has started).
    MarkAttendance,
}

/// `Ok` when `actor` may take `action` on `registration` (for `session`, organised by the
/// organisation at `organiser_path`, of a person from the organisation at `participant_path`
/// when it is in the system) in its current state, otherwise the refusal the action reports.
/// Editors of the organiser and of the person's organisation may change it. The role is checked
/// first, then the state. Whether the session has started (for `MarkAttendance`) is a matter of
/// time and stays in the action.
pub fn check_registration(
    action: RegistrationAction,
    actor: &Actor,
    registration: &registration::Model,
    session: &Model,
    organiser_path: &str,
    participant_path: Option<&str>,
) -> Result<()> {
    actor.require(
        actor.can_edit_records_of(organiser_path)
            || participant_path.is_some_and(|p| actor.can_edit_records_of(p)),
        "you cannot change this registration",
    )?;
    if registration.status != RegistrationStatus::Registered {
        return Err(Error::Conflict("the registration is cancelled".into()));
    }
    match action {
        RegistrationAction::Cancel if session.status != SessionStatus::Planned => {
            Err(Error::invalid(
                "status",
                "INVALID_STATE",
                "registrations can be cancelled only before the session is held",
            ))
        }
        RegistrationAction::MarkAttendance if session.status == SessionStatus::Cancelled => Err(
            Error::invalid("status", "INVALID_STATE", "the session was cancelled"),
        ),
        RegistrationAction::Cancel | RegistrationAction::MarkAttendance => Ok(()),
    }
}

/// What `actor` may do to a registration now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationAbilities {
    /// `cancelRegistration`.
    pub cancel: bool,
    /// `markAttendance` (once the session has started).
    pub mark_attendance: bool,
}

/// [`check_registration`] for every action.
pub fn registration_abilities(
    actor: &Actor,
    registration: &registration::Model,
    session: &Model,
    organiser_path: &str,
    participant_path: Option<&str>,
) -> RegistrationAbilities {
    let may = |action| {
        check_registration(
            action,
            actor,
            registration,
            session,
            organiser_path,
            participant_path,
        )
        .is_ok()
    };
    RegistrationAbilities {
        cancel: may(RegistrationAction::Cancel),
        mark_attendance: may(RegistrationAction::MarkAttendance),
    }
}
