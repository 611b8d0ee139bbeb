//! The audit log: every write records who, when, which organisation, what and a before/after
//! diff, in the same transaction as the write itself.

use std::future::Future;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, NotSet, Set};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::Result;
use crate::access::Actor;
use crate::entity::audit_event;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `future` with `request_id` attached to the audit events it records.
pub fn with_request_id<F: Future>(
    request_id: String,
    future: F,
) -> impl Future<Output = F::Output> {
    REQUEST_ID.scope(request_id, future)
}

/// The request id of the current task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// One event to record.
#[derive(Debug)]
pub struct AuditEntry<'a> {
    /// Who acted; `None` for anonymous attempts (failed logins).
    pub actor: Option<&'a Actor>,
    /// Label of the actor when there is no [`Actor`] (e.g. the email tried at login).
    pub actor_label: Option<String>,
    /// The organisation whose data changed.
    pub organisation_id: Option<i64>,
    /// Entity type, e.g. `Organisation`.
    pub entity_type: &'static str,
    /// The entity's id.
    pub entity_id: Option<i64>,
    /// What happened, e.g. `create`, `update`, `archive`, `move`, `merge`, `login_failed`.
    pub action: &'static str,
    /// `{"before": …, "after": …}`.
    pub changes: Value,
}

/// Records `entry` with `db` (the write's own transaction).
pub async fn record(db: &impl ConnectionTrait, entry: AuditEntry<'_>) -> Result<()> {
    audit_event::ActiveModel {
        id: NotSet,
        occurred_at: Set(Utc::now()),
        actor_user_id: Set(entry.actor.map(|a| a.user_id)),
        actor_label: Set(entry.actor.map(|a| a.email.clone()).or(entry.actor_label)),
        organisation_id: Set(entry.organisation_id),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action.to_owned()),
        changes: Set(entry.changes),
        request_id: Set(current_request_id()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The fields of `before` and `after` (serialised) that differ, as `{"before": …, "after": …}`.
/// `None` on either side records a creation or a deletion.
pub fn diff<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Value {
    let to_map = |v: Option<&T>| match v.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => Some(map),
        _ => None,
    };
    let (before, after) = (to_map(before), to_map(after));
    match (before, after) {
        (Some(b), Some(a)) => {
            let mut old = Map::new();
            let mut new = Map::new();
            for (key, value) in &a {
                if key == "updated_at" || key == "version" {
                    continue;
                }
                if b.get(key) != Some(value) {
                    old.insert(key.clone(), b.get(key).cloned().unwrap_or(Value::Null));
                    new.insert(key.clone(), value.clone());
                }
            }
            json!({ "before": old, "after": new })
        }
        (b, a) => json!({ "before": b, "after": a }),
    }
}

/// Records an event by a signed-in actor about `entity_type` row `entity_id` owned by
/// `organisation_id` (the common case of [`record`]).
pub async fn write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organisation_id: i64,
    entity_type: &'static str,
    entity_id: i64,
    action: &'static str,
    changes: Value,
) -> Result<()> {
    record(
        db,
        AuditEntry {
            actor: Some(actor),
            actor_label: None,
            organisation_id: Some(organisation_id),
            entity_type,
            entity_id: Some(entity_id),
            action,
            changes,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: &'static str,
        code: &'static str,
        version: i32,
    }

    #[test]
    fn diff_keeps_only_changed_fields() {
        let before = Row {
            name: "A",
            code: "X",
            version: 1,
        };
        let after = Row {
            name: "B",
            code: "X",
            version: 2,
        };
        assert_eq!(
            diff(Some(&before), Some(&after)),
            json!({ "before": { "name": "A" }, "after": { "name": "B" } })
        );
        assert_eq!(diff(None, Some(&after))["before"], Value::Null);
    }
}
