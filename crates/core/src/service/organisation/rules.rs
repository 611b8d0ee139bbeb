//! Who may change an organisation, and in which state: one check per action, used by the
//! action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::enums::OrganisationStatus;
use crate::entity::organisation::Model;
use crate::{Error, Result};

/// A change to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Change its own details.
    Update,
    /// Archive it.
    Archive,
    /// Move it (with its subtree) under another parent.
    Move,
    /// Merge it into another organisation.
    Merge,
    /// Create an organisation under it.
    CreateChild,
    /// Invite users to it, grant and revoke roles in it.
    ManageMembers,
}

/// `Ok` when `actor` may take `action` on `org` in its current state, otherwise the refusal
/// the action reports. The role is checked first, then the state. Checks that need the
/// action's input (the new parent, the merge target) or other rows (active children) stay in
/// the action.
pub fn check(action: Action, actor: &Actor, org: &Model) -> Result<()> {
    let (allowed, reason) = match action {
        Action::Update => (
            actor.can_update_organisation(&org.path),
            "only an administrator of this organisation or an ancestor can change it",
        ),
        Action::Archive => (
            actor.can_restructure(&org.path),
            "only an administrator of an ancestor organisation can archive it",
        ),
        Action::Move => (
            actor.can_restructure(&org.path),
            "moving needs administrator rights over the organisation's current and new parents",
        ),
        Action::Merge => (
            actor.can_restructure(&org.path),
            "merging needs administrator rights over both organisations",
        ),
        Action::CreateChild => (
            actor.can_create_child_of(&org.path),
            "only an administrator of the parent organisation can add organisations under it",
        ),
        Action::ManageMembers => (
            actor.can_manage_members_of(&org.path),
            "only administrators of this organisation or an ancestor manage its members",
        ),
    };
    actor.require(allowed, reason)?;
    let active = org.status == OrganisationStatus::Active;
    match action {
        Action::Update | Action::ManageMembers => Ok(()),
        Action::Archive if !active => Err(Error::Conflict("the organisation is not active".into())),
        Action::Move if !active => Err(Error::Conflict(
            "only active organisations can be moved".into(),
        )),
        Action::Merge if !active => Err(Error::Conflict(
            "only active organisations can be merged".into(),
        )),
        Action::CreateChild if !active => Err(Error::invalid(
            "parentId",
            "INVALID_STATE",
            "the parent organisation is not active",
        )),
        Action::Archive | Action::Move | Action::Merge | Action::CreateChild => Ok(()),
    }
}

/// What `actor` may do to `org` now, action by action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
    /// `updateOrganisation`.
    pub update: bool,
    /// `archiveOrganisation` (still refused while it has active children).
    pub archive: bool,
    /// `moveOrganisation` (the new parent must be one the actor administers).
    pub move_organisation: bool,
    /// `mergeOrganisation` (the target must be one the actor administers).
    pub merge: bool,
    /// `createOrganisation` with this organisation as parent.
    pub create_child: bool,
    /// `inviteUser` and `revokeMembership` for this organisation.
    pub manage_members: bool,
}

/// [`check`] for every action.
pub fn abilities(actor: &Actor, org: &Model) -> Abilities {
    let may = |action| check(action, actor, org).is_ok();
    Abilities {
        update: may(Action::Update),
        archive: may(Action::Archive),
        move_organisation: may(Action::Move),
        merge: may(Action::Merge),
        create_child: may(Action::CreateChild),
        manage_members: may(Action::ManageMembers),
    }
}
