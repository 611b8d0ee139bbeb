//! The audit log: one row per write (and per login attempt), written in the same transaction as
//! the change it records. Rows are never updated or deleted.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE audit_event (
    id {id},
    occurred_at {ts} NOT NULL,
    actor_user_id BIGINT REFERENCES app_user (id),
    actor_label TEXT,
    organisation_id BIGINT REFERENCES organisation (id),
    entity_type TEXT NOT NULL,
    entity_id BIGINT,
    action TEXT NOT NULL,
    changes {json} NOT NULL,
    request_id TEXT
);
CREATE INDEX audit_event_organisation_idx ON audit_event (organisation_id, id);
CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id, id);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, id);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(manager, &["audit_event"]).await
    }
}
