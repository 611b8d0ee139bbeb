//! `viewer`, `users` and `auditEvents`.

use async_graphql::{Context, ID, InputObject, Object};
use khuyenhoc_core::service::{audit_log, user};

use crate::connection::{Total, page_request};
use crate::context::{actor, db, max_page};
use crate::enums::UserStatus;
use crate::error::IntoApi;
use crate::id::{NodeType, decode, decode_opt};
use crate::object::{AuditEvent, AuditEventConnection, User, UserConnection, Viewer};
use crate::scalar::DateTime;

/// Reading identities and the audit log.
#[derive(Default)]
pub struct IdentityQuery;

/// Narrows a list of users.
#[derive(InputObject, Debug, Clone, Default)]
pub struct UserFilter {
    /// Only users with a live role in this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Only users in this status.
    pub status: Option<UserStatus>,
    /// Text contained in the name or email; diacritics ignored.
    pub search: Option<String>,
}

/// Narrows the audit log.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AuditEventFilter {
    /// Only events about organisations in this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Only events about this entity type, e.g. `Organisation`.
    pub entity_type: Option<String>,
    /// Only events about this entity (a global id).
    pub entity: Option<ID>,
    /// Only this action, e.g. `merge` or `login_failed`.
    pub action: Option<String>,
    /// Only events by this user.
    pub actor: Option<ID>,
    /// Only events at or after this instant.
    pub from: Option<DateTime>,
    /// Only events before this instant.
    pub to: Option<DateTime>,
}

#[Object]
impl IdentityQuery {
    /// The signed-in user, its memberships and effective scope; `null` without a token.
    async fn viewer(&self, ctx: &Context<'_>) -> Option<Viewer> {
        ctx.data::<crate::RequestState>()
            .ok()
            .and_then(|s| s.actor.get())
            .map(Viewer)
    }

    /// Users the viewer may see: itself, and members of the subtrees it administers or audits.
    #[allow(clippy::too_many_arguments)]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<UserFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<UserConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default();
        let domain = user::UserFilter {
            within_organisation: decode_opt(
                filter.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )
            .api()?,
            status: filter.status.map(Into::into),
            search: filter.search,
        };
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = user::list(db(ctx)?, &actor, &domain, &request, max_page(ctx))
            .await
            .api()?;
        Ok(UserConnection::new(page, Total::deferred(total), User))
    }

    /// The audit log of the subtrees where the viewer is ADMIN or AUDITOR, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<AuditEventFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AuditEventConnection> {
        let actor = actor(ctx)?;
        let f = filter.unwrap_or_default();
        let entity_id =
            match &f.entity {
                Some(id) => Some(crate::id::decode_any(id).map(|(_, row)| row).ok_or_else(
                    || {
                        crate::error::to_graphql(&khuyenhoc_core::Error::invalid(
                            "filter.entity",
                            "INVALID_ID",
                            "not a valid id",
                        ))
                    },
                )?),
                None => None,
            };
        let domain = audit_log::AuditFilter {
            within_organisation: decode_opt(
                f.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )
            .api()?,
            entity_type: f.entity_type,
            entity_id,
            action: f.action,
            actor_user_id: f
                .actor
                .as_ref()
                .map(|id| decode(id, NodeType::User, "filter.actor"))
                .transpose()
                .api()?,
            from: f.from.map(|t| t.0),
            to: f.to.map(|t| t.0),
        };
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = audit_log::list(db(ctx)?, &actor, &domain, &request, max_page(ctx))
            .await
            .api()?;
        Ok(AuditEventConnection::new(
            page,
            Total::deferred(total),
            AuditEvent,
        ))
    }
}
