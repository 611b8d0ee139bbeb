//! Who may administer a user account or revoke a membership, and in which state: one check per
//! action, used by the action itself and by permission introspection (`viewerCan`).

use crate::access::Actor;
use crate::entity::{app_user, membership, organisation};
use crate::service::organisation::rules as organisation_rules;
use crate::{Error, Result};

/// `Ok` when `actor` may disable, enable or set the password of `user`, whose live memberships
/// are held in the organisations at `membership_paths`; otherwise the refusal those actions
/// report. Nobody does this to their own account, and only an administrator whose reach covers
/// every live membership of the person does it (so nobody acts beyond their reach). The three
/// actions need the same rights, and the account's status matters to none of them.
pub fn check_administer(
    actor: &Actor,
    user: &app_user::Model,
    membership_paths: &[String],
) -> Result<()> {
    if user.id == actor.user_id {
        return Err(Error::Conflict(
            "you cannot do this to your own account".into(),
        ));
    }
    actor.require(
        !membership_paths.is_empty()
            && membership_paths
                .iter()
                .all(|p| actor.can_manage_members_of(p)),
        "this person also holds roles outside your reach; ask an administrator above you",
    )
}

/// What `actor` may do to a user account now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserAbilities {
    /// `disableUser`.
    pub disable: bool,
    /// `enableUser`.
    pub enable: bool,
    /// `setUserPassword`.
    pub set_password: bool,
}

/// [`check_administer`] for every action on an account.
pub fn user_abilities(
    actor: &Actor,
    user: &app_user::Model,
    membership_paths: &[String],
) -> UserAbilities {
    let may = check_administer(actor, user, membership_paths).is_ok();
    UserAbilities {
        disable: may,
        enable: may,
        set_password: may,
    }
}

/// `Ok` when `actor` may revoke `membership` (held in `org`) now, otherwise the refusal
/// `revokeMembership` reports: administrators of the organisation or an ancestor revoke live
/// memberships, never their own.
pub fn check_revoke(
    actor: &Actor,
    membership: &membership::Model,
    org: &organisation::Model,
) -> Result<()> {
    organisation_rules::check(organisation_rules::Action::ManageMembers, actor, org)?;
    if membership.user_id == actor.user_id {
        return Err(Error::Conflict(
            "you cannot revoke your own membership".into(),
        ));
    }
    if membership.revoked_at.is_some() {
        return Err(Error::Conflict("this membership is already revoked".into()));
    }
    Ok(())
}
