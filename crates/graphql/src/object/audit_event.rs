//! `AuditEvent`: one recorded write or sign-in attempt.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::audit_event;

use super::{Organisation, User};
use crate::context::loader;
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::loader::ById;
use crate::scalar::{DateTime, Json};

/// A recorded change or sign-in attempt. Written in the same transaction as the change.
#[derive(Debug, Clone)]
pub struct AuditEvent(pub audit_event::Model);

crate::connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "A page of audit events, newest first.",
    "An audit event in a page, with its cursor."
);

/// A recorded change or sign-in attempt. Written in the same transaction as the change.
#[Object]
impl AuditEvent {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::AuditEvent, self.0.id)
    }

    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }

    /// Who acted, if signed in and readable by the viewer.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.actor_user_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::app_user::Entity>::of(id))
            .await
            .api()?
            .map(User))
    }

    /// The actor's email at the time (or the email tried, for failed sign-ins).
    async fn actor_label(&self) -> Option<&str> {
        self.0.actor_label.as_deref()
    }

    /// The organisation whose data changed.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<khuyenhoc_core::entity::organisation::Entity>::of(id))
            .await
            .api()?
            .map(Organisation))
    }

    /// Type of the changed entity, e.g. `Organisation`, `Membership`, `Program`, `Session`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    /// Row id of the changed entity (not a global id).
    async fn entity_id(&self) -> Option<String> {
        self.0.entity_id.map(|id| id.to_string())
    }

    /// What happened, e.g. `create`, `update`, `archive`, `move`, `merge`, `grant`, `revoke`,
    /// `login`, `login_failed`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The changed fields: `{"before": {…}, "after": {…}}`.
    async fn changes(&self) -> Json {
        Json(self.0.changes.clone())
    }

    /// Id of the HTTP request that made the change.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}
