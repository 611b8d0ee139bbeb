//! The identity behind a request: a user and the memberships it holds right now.

use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationDef, RelationTrait,
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

/// One row of [`Actor::load`]'s query: the user, with one of its live memberships (none when it
/// holds none: the membership columns are then null).
#[derive(Debug, FromQueryResult)]
struct ActorRow {
    email: String,
    display_name: String,
    membership_id: Option<i64>,
    organisation_id: Option<i64>,
    path: Option<String>,
    kind: Option<OrganisationKind>,
    role: Option<Role>,
}

impl ActorRow {
    fn grant(self) -> Option<Grant> {
        Some(Grant {
            membership_id: self.membership_id?,
            organisation_id: self.organisation_id?,
            organisation_path: self.path?,
            organisation_kind: self.kind?,
            role: self.role?,
        })
    }
}

impl Actor {
    /// Loads the active user `user_id` and its live memberships; `Unauthenticated` when the user
    /// does not exist or is disabled.
    ///
    /// One statement, since every authenticated request runs it: the user left-joined to its
    /// unrevoked memberships and their organisations, one row per membership.
    pub async fn load(db: &impl ConnectionTrait, user_id: i64) -> Result<Self> {
        let membership_user: RelationDef = membership::Entity::belongs_to(app_user::Entity)
            .from(membership::Column::UserId)
            .to(app_user::Column::Id)
            .into();
        let user_memberships = membership_user
            .rev()
            .on_condition(|_user, membership_table| {
                Expr::col((membership_table, membership::Column::RevokedAt))
                    .is_null()
                    .into_condition()
            });
        let mut rows = app_user::Entity::find()
            .select_only()
            .column(app_user::Column::Email)
            .column(app_user::Column::DisplayName)
            .column_as(membership::Column::Id, "membership_id")
            .column(membership::Column::OrganisationId)
            .column(membership::Column::Role)
            .column(organisation::Column::Path)
            .column(organisation::Column::Kind)
            .join(JoinType::LeftJoin, user_memberships)
            .join(JoinType::LeftJoin, membership::Relation::Organisation.def())
            .filter(app_user::Column::Id.eq(user_id))
            .filter(app_user::Column::Status.eq(UserStatus::Active))
            .order_by_asc(membership::Column::Id)
            .into_model::<ActorRow>()
            .all(db)
            .await?
            .into_iter()
            .peekable();
        let first = rows.peek().ok_or(Error::Unauthenticated)?;
        let (email, display_name) = (first.email.clone(), first.display_name.clone());
        Ok(Self {
            user_id,
            email,
            display_name,
            grants: rows.filter_map(ActorRow::grant).collect(),
        })
    }

    /// Grants whose role is one of `roles`.
    pub fn grants_with<'a>(&'a self, roles: &'a [Role]) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.iter().filter(move |g| roles.contains(&g.role))
    }
}
