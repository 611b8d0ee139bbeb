//! `User`, `Membership`, and the viewer.

use async_graphql::{Context, ID, Object, SimpleObject};
use khuyenhoc_core::access::{Actor, Grant};
use khuyenhoc_core::entity::enums::Role as CoreRole;
use khuyenhoc_core::entity::{app_user, membership};

use super::Organisation;
use crate::context::loader;
use crate::enums::{Role, UserStatus};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::loader::{ById, MembershipsOf};
use crate::scalar::DateTime;

/// A person who signs in.
#[derive(Debug, Clone)]
pub struct User(pub app_user::Model);

crate::connection!(
    UserConnection,
    UserEdge,
    User,
    "A page of users.",
    "A user in a page, with its cursor."
);

/// A person who signs in.
#[Object]
impl User {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::User, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::UserViewerCan> {
        crate::object::viewer_can::user(ctx, &self.0).await
    }

    /// Email address (lower case); also the sign-in name.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Name as shown to others.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// Whether the account may sign in.
    async fn status(&self) -> UserStatus {
        self.0.status.into()
    }

    /// When the account last signed in.
    async fn last_login_at(&self) -> Option<DateTime> {
        self.0.last_login_at.map(Into::into)
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The live memberships the viewer may see (all of them for the viewer itself and for
    /// administrators of their organisations).
    async fn memberships(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Membership>> {
        Ok(loader(ctx)?
            .load_one(MembershipsOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default()
            .into_iter()
            .map(Membership)
            .collect())
    }
}

/// A role a user holds in an organisation, and so over its whole subtree.
#[derive(Debug, Clone)]
pub struct Membership(pub membership::Model);

/// A role a user holds in an organisation, and so over its whole subtree.
#[Object]
impl Membership {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Membership, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::MembershipViewerCan> {
        crate::object::viewer_can::membership(ctx, &self.0).await
    }

    /// The role.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// The organisation the role is held in.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::organisation::Entity>::of(
                self.0.organisation_id,
            ))
            .await
            .api()?
            .map(Organisation))
    }

    /// The member.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::app_user::Entity>::of(
                self.0.user_id,
            ))
            .await
            .api()?
            .map(User))
    }

    /// When the role was granted.
    async fn granted_at(&self) -> DateTime {
        self.0.granted_at.into()
    }

    /// When the role was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(Into::into)
    }
}

/// The signed-in user and what it may do.
pub struct Viewer(pub std::sync::Arc<Actor>);

/// The signed-in user and what it may do.
#[Object]
impl Viewer {
    /// The account.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::app_user::Entity>::of(
                self.0.user_id,
            ))
            .await
            .api()?
            .map(User))
    }

    /// The account's live memberships.
    async fn memberships(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Membership>> {
        Ok(loader(ctx)?
            .load_one(MembershipsOf(self.0.user_id))
            .await
            .api()?
            .unwrap_or_default()
            .into_iter()
            .map(Membership)
            .collect())
    }

    /// What the viewer may read and change, as subtree roots per capability.
    async fn scope(&self) -> ViewerScope {
        ViewerScope::of(&self.0)
    }
}

/// The viewer's effective scope: each list holds the organisations whose whole subtree the
/// capability covers. The server enforces exactly these rules (see the README's scope table).
#[derive(SimpleObject)]
pub struct ViewerScope {
    /// Reads records owned anywhere in these subtrees (any role).
    read: Vec<ScopeRoot>,
    /// Creates and edits records in these subtrees (EDITOR or ADMIN).
    write: Vec<ScopeRoot>,
    /// Manages organisations, users and memberships in these subtrees (ADMIN).
    administer: Vec<ScopeRoot>,
    /// Reads the audit log of these subtrees (ADMIN or AUDITOR).
    audit: Vec<ScopeRoot>,
    /// Approves submissions of organisations strictly below these (EDITOR or ADMIN; never
    /// one's own organisation's).
    approve_below: Vec<ScopeRoot>,
    /// Whether the viewer belongs to a partner body (reads the programs it is party to, their
    /// reports and training sessions, nothing else of the association tree).
    partner: bool,
}

/// The root of a subtree in the viewer's scope.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ScopeRoot {
    #[graphql(skip)]
    organisation_id: i64,
    /// The role that grants it.
    role: Role,
}

#[async_graphql::ComplexObject]
impl ScopeRoot {
    /// The organisation at the root of the subtree.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::organisation::Entity>::of(
                self.organisation_id,
            ))
            .await
            .api()?
            .map(Organisation))
    }
}

impl ViewerScope {
    fn of(actor: &Actor) -> Self {
        let roots = |roles: &[CoreRole]| -> Vec<ScopeRoot> {
            actor
                .grants
                .iter()
                .filter(|g: &&Grant| roles.contains(&g.role))
                .map(|g| ScopeRoot {
                    organisation_id: g.organisation_id,
                    role: g.role.into(),
                })
                .collect()
        };
        let writers = [CoreRole::Admin, CoreRole::Editor];
        Self {
            read: roots(&[
                CoreRole::Admin,
                CoreRole::Editor,
                CoreRole::Viewer,
                CoreRole::Auditor,
            ]),
            write: roots(&writers),
            administer: roots(&[CoreRole::Admin]),
            audit: roots(&[CoreRole::Admin, CoreRole::Auditor]),
            approve_below: roots(&writers),
            partner: actor.grants.iter().any(Grant::is_partner),
        }
    }
}
