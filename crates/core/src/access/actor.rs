//! The identity behind a request: a user and the memberships it holds right now.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
};

use crate::entity::enums::{OrganisationKind, Role, UserStatus};
use crate::entity::{app_user, membership, organisation};
use crate::{Error, Result};

/// A live membership, with what access decisions need of its organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The membership.
    pub membership_id: i64,
    /// The organisation the role is held in.
    pub organisation_id: i64,
    /// That organisation's stored path.
    pub organisation_path: String,
    /// That organisation's kind.
    pub organisation_kind: OrganisationKind,
    /// The role.
    pub role: Role,
}

impl Grant {
    /// Whether this grant's organisation is in a partner body's tree.
    pub fn is_partner(&self) -> bool {
        self.organisation_kind.is_partner()
    }
}

/// An authenticated user with its live memberships, loaded fresh for each request so that
/// disabling a user or revoking a membership takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user_id: i64,
    /// The user's email (lower case).
    pub email: String,
    /// The user's name.
    pub display_name: String,
    /// Live memberships.
    pub grants: Vec<Grant>,
}

#[derive(Debug, FromQueryResult)]
struct GrantRow {
    membership_id: i64,
    organisation_id: i64,
    path: String,
    kind: OrganisationKind,
    role: Role,
}

impl Actor {
    /// Loads the active user `user_id` and its live memberships; `Unauthenticated` when the user
    /// does not exist or is disabled.
    pub async fn load(db: &impl ConnectionTrait, user_id: i64) -> Result<Self> {
        let user = app_user::Entity::find_by_id(user_id)
            .one(db)
            .await?
            .filter(|u| u.status == UserStatus::Active)
            .ok_or(Error::Unauthenticated)?;
        let grants = membership::Entity::find()
            .select_only()
            .column_as(membership::Column::Id, "membership_id")
            .column(membership::Column::OrganisationId)
            .column(membership::Column::Role)
            .column(organisation::Column::Path)
            .column(organisation::Column::Kind)
            .join(
                JoinType::InnerJoin,
                membership::Relation::Organisation.def(),
            )
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::RevokedAt.is_null())
            .into_model::<GrantRow>()
            .all(db)
            .await?
            .into_iter()
            .map(|row| Grant {
                membership_id: row.membership_id,
                organisation_id: row.organisation_id,
                organisation_path: row.path,
                organisation_kind: row.kind,
                role: row.role,
            })
            .collect();
        Ok(Self {
            user_id,
            email: user.email,
            display_name: user.display_name,
            grants,
        })
    }

    /// Grants whose role is one of `roles`.
    pub fn grants_with<'a>(&'a self, roles: &'a [Role]) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.iter().filter(move |g| roles.contains(&g.role))
    }
}
