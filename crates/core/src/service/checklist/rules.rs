//! Who may change a criteria checklist, and in which state: one check per action, used by the
//! action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::criteria_checklist::Model;
use crate::entity::enums::ChecklistStatus;
use crate::{Error, Result};

/// A change to a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Change a draft.
    Update,
    /// Publish a draft.
    Publish,
    /// Retire a published checklist.
    Retire,
}

/// `Ok` when `actor` may take `action` on `checklist` (owned at `owner_path`) in its current
/// state, otherwise the refusal the action reports. The role is checked first, then the state.
pub fn check(action: Action, actor: &Actor, checklist: &Model, owner_path: &str) -> Result<()> {
    actor.require(
        actor.can_edit_records_of(owner_path),
        "only editors of the checklist's owner can change it",
    )?;
    match (action, checklist.status) {
        (Action::Update | Action::Publish, ChecklistStatus::Draft)
        | (Action::Retire, ChecklistStatus::Published) => Ok(()),
        (Action::Update, _) => Err(Error::invalid(
            "id",
            "IMMUTABLE",
            "a published or retired checklist cannot be changed; start a new version with \
             newChecklistVersion",
        )),
        (Action::Publish, _) => Err(invalid_transition(
            "only a draft checklist can be published",
        )),
        (Action::Retire, _) => Err(invalid_transition(
            "only a published checklist can be retired",
        )),
    }
}

fn invalid_transition(message: &str) -> Error {
    Error::invalid("status", "INVALID_TRANSITION", message)
}

/// What `actor` may do to a checklist now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
    /// `updateCriteriaChecklist`.
    pub update: bool,
    /// `publishCriteriaChecklist` (the structure is checked then).
    pub publish: bool,
    /// `retireCriteriaChecklist`.
    pub retire: bool,
}

/// [`check`] for every action.
pub fn abilities(actor: &Actor, checklist: &Model, owner_path: &str) -> Abilities {
    let may = |action| check(action, actor, checklist, owner_path).is_ok();
    Abilities {
        update: may(Action::Update),
        publish: may(Action::Publish),
        retire: may(Action::Retire),
    }
}
