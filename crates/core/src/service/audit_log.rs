//! Reading the audit log (ADMIN and AUDITOR, within their subtrees).

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter};

use super::organisation;
use crate::Result;
use crate::access::{Actor, readable};
use crate::entity::audit_event;
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};

/// Filters for the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events about organisations in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Only events of this entity type (e.g. `Organisation`, `Program`).
    pub entity_type: Option<String>,
    /// Only events about this entity id.
    pub entity_id: Option<i64>,
    /// Only this action (e.g. `create`, `login_failed`).
    pub action: Option<String>,
    /// Only events by this user.
    pub actor_user_id: Option<i64>,
    /// Only events at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only events before this instant.
    pub to: Option<DateTime<Utc>>,
}

fn newest_first() -> Ordering<audit_event::Entity> {
    Ordering {
        name: "ID",
        column: None,
        descending: true,
        key: |_| SortKey::None,
        id: audit_event::Column::Id,
        id_of: |m| m.id,
    }
}

/// One page of the audit events the actor may read, newest first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &AuditFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<audit_event::Model>, TotalCount)> {
    let mut select = readable::<audit_event::Entity>(actor);
    if let Some(root) = filter.within_organisation {
        let root = organisation::require(db, actor, root).await?;
        select = select.filter(
            audit_event::Column::OrganisationId
                .in_subquery(crate::service::program::subtree_ids(&root.path)),
        );
    }
    if let Some(t) = &filter.entity_type {
        select = select.filter(audit_event::Column::EntityType.eq(t.as_str()));
    }
    if let Some(id) = filter.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(id));
    }
    if let Some(a) = &filter.action {
        select = select.filter(audit_event::Column::Action.eq(a.as_str()));
    }
    if let Some(u) = filter.actor_user_id {
        select = select.filter(audit_event::Column::ActorUserId.eq(u));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(audit_event::Column::OccurredAt.lt(to));
    }
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, &newest_first(), request, max_page).await?,
        total,
    ))
}
