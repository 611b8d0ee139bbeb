//! Who may change a training session, and in which state: one check per action, used by the
//! action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::enums::SessionStatus;
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
