//! Write policy: which roles may change what, decided from the actor's grants and the stored
//! path of the organisation that owns the record.
//!
//! | action                                          | who                                        |
//! |-------------------------------------------------|--------------------------------------------|
//! | create/edit/archive records owned by O          | EDITOR or ADMIN of O or an ancestor of O   |
//! | update organisation O                           | ADMIN of O or an ancestor                  |
//! | create under, archive, move or merge O          | ADMIN of a strict ancestor of O            |
//! | grant or revoke a role in O; invite users to O  | ADMIN of O or an ancestor                  |
//! | approve what O submitted                        | EDITOR or ADMIN of a strict ancestor of O  |
//! | approve or return O's assessment                | as above, holding no role in O itself      |
//! | read the audit log of O                         | ADMIN or AUDITOR of O or an ancestor       |
//!
//! VIEWER and AUDITOR never write. Nobody approves their own organisation's submission.
//! These methods are also what permission introspection (`viewerCan`) reports, so the answer a
//! frontend sees is the rule the server enforces.

use super::Actor;
use super::path;
use crate::entity::enums::Role;
use crate::{Error, Result};

const WRITERS: &[Role] = &[Role::Admin, Role::Editor];
const ADMINS: &[Role] = &[Role::Admin];

impl Actor {
    /// Whether some grant with one of `roles` covers `org_path` (strictly below it if `strict`).
    fn covers(&self, roles: &[Role], org_path: &str, strict: bool) -> bool {
        self.grants_with(roles).any(|g| {
            if strict {
                path::is_strictly_within(org_path, &g.organisation_path)
            } else {
                path::is_within(org_path, &g.organisation_path)
            }
        })
    }

    /// May create, edit and archive records owned by the organisation at `org_path`.
    pub fn can_edit_records_of(&self, org_path: &str) -> bool {
        self.covers(WRITERS, org_path, false)
    }

    /// May update the organisation at `org_path` itself.
    pub fn can_update_organisation(&self, org_path: &str) -> bool {
        self.covers(ADMINS, org_path, false)
    }

    /// May create organisations under, archive, move or merge the organisation at `org_path`
    /// (an administrator cannot restructure the organisation its own role is held in).
    pub fn can_restructure(&self, org_path: &str) -> bool {
        self.covers(ADMINS, org_path, true)
    }

    /// May create a child under the organisation at `parent_path`.
    pub fn can_create_child_of(&self, parent_path: &str) -> bool {
        self.covers(ADMINS, parent_path, false)
    }

    /// May grant or revoke roles in, and invite users to, the organisation at `org_path`.
    pub fn can_manage_members_of(&self, org_path: &str) -> bool {
        self.covers(ADMINS, org_path, false)
    }

    /// May approve (or return, or acknowledge) what the organisation at `submitter_path`
    /// submitted: an EDITOR or ADMIN of a strict ancestor, never the submitter itself.
    pub fn can_approve_for(&self, submitter_path: &str) -> bool {
        self.covers(WRITERS, submitter_path, true)
    }

    /// The organisation on whose behalf the actor approves (or returns) an assessment the
    /// organisation `submitter_id` at `submitter_path` submitted: the nearest strict ancestor
    /// where the actor is EDITOR or ADMIN. `None` when it may not — also whenever the actor holds
    /// any role in the submitting organisation itself, whatever it holds above: nobody approves
    /// their own organisation's work.
    pub fn approving_organisation_for(
        &self,
        submitter_id: i64,
        submitter_path: &str,
    ) -> Option<i64> {
        if self
            .grants
            .iter()
            .any(|g| g.organisation_id == submitter_id)
        {
            return None;
        }
        self.grants_with(WRITERS)
            .filter(|g| path::is_strictly_within(submitter_path, &g.organisation_path))
            .max_by_key(|g| g.organisation_path.len())
            .map(|g| g.organisation_id)
    }

    /// May acknowledge a report on a program owned at `owner_path` that the organisation at
    /// `reporter_path` submitted: an EDITOR or ADMIN covering the owner through a role held
    /// anywhere but in the reporting organisation itself.
    pub fn can_acknowledge(&self, owner_path: &str, reporter_path: &str) -> bool {
        self.grants_with(WRITERS).any(|g| {
            path::is_within(owner_path, &g.organisation_path)
                && g.organisation_path != reporter_path
        })
    }

    /// May read the audit log of the organisation at `org_path`.
    pub fn can_audit(&self, org_path: &str) -> bool {
        self.covers(&[Role::Admin, Role::Auditor], org_path, false)
    }

    /// Whether the actor may write anything at all.
    pub fn is_writer(&self) -> bool {
        self.grants_with(WRITERS).next().is_some()
    }

    /// `Ok(())` when `allowed`, otherwise `Forbidden` with `what` as the reason.
    pub fn require(&self, allowed: bool, what: &str) -> Result<()> {
        if allowed {
            Ok(())
        } else {
            Err(Error::Forbidden(what.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Grant;
    use crate::entity::enums::OrganisationKind;

    fn actor(grants: &[(&str, Role)]) -> Actor {
        Actor {
            user_id: 1,
            email: "a@b.vn".into(),
            display_name: "A".into(),
            grants: grants
                .iter()
                .map(|(p, role)| Grant {
                    membership_id: 1,
                    organisation_id: *path::ids(p).last().unwrap_or(&0),
                    organisation_path: (*p).to_owned(),
                    organisation_kind: OrganisationKind::Provincial,
                    role: *role,
                })
                .collect(),
        }
    }

    #[test]
    fn editors_write_in_their_subtree_only() {
        let editor = actor(&[("/1/5/", Role::Editor)]);
        assert!(editor.can_edit_records_of("/1/5/"));
        assert!(editor.can_edit_records_of("/1/5/9/"));
        assert!(!editor.can_edit_records_of("/1/"));
        assert!(!editor.can_edit_records_of("/1/50/"));
        assert!(!editor.can_manage_members_of("/1/5/"));
    }

    #[test]
    fn viewers_and_auditors_never_write() {
        let viewer = actor(&[("/1/", Role::Viewer), ("/1/", Role::Auditor)]);
        assert!(!viewer.can_edit_records_of("/1/5/"));
        assert!(!viewer.can_approve_for("/1/5/"));
        assert!(viewer.can_audit("/1/5/"));
        assert!(!viewer.is_writer());
    }

    #[test]
    fn nobody_approves_their_own_submission() {
        let province = actor(&[("/1/5/", Role::Admin)]);
        assert!(!province.can_approve_for("/1/5/"));
        assert!(province.can_approve_for("/1/5/9/"));
        assert!(!province.can_restructure("/1/5/"));
        assert!(province.can_restructure("/1/5/9/"));
        assert!(province.can_update_organisation("/1/5/"));
    }

    #[test]
    fn assessments_are_approved_from_the_nearest_ancestor_never_by_their_own_members() {
        let province = actor(&[("/1/", Role::Admin), ("/1/5/", Role::Editor)]);
        assert_eq!(province.approving_organisation_for(9, "/1/5/9/"), Some(5));
        assert_eq!(province.approving_organisation_for(5, "/1/5/"), None);
        let member_too = actor(&[("/1/5/", Role::Admin), ("/1/5/9/", Role::Viewer)]);
        assert_eq!(member_too.approving_organisation_for(9, "/1/5/9/"), None);
        let viewer = actor(&[("/1/5/", Role::Viewer)]);
        assert_eq!(viewer.approving_organisation_for(9, "/1/5/9/"), None);
    }
}
