//! Idempotency keys: a retried mutation with the same `Idempotency-Key` header gets the first
//! answer instead of running twice. One row per user and key; the unique index settles races
//! between copies of the same request.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE idempotency_key (
    id {id},
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'DONE')),
    response_status INTEGER,
    response_body TEXT,
    created_at {ts} NOT NULL,
    completed_at {ts},
    CHECK (status = 'PENDING' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE UNIQUE INDEX idempotency_key_user_key ON idempotency_key (user_id, idempotency_key);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
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
        dialect::drop_tables(manager, &["idempotency_key"]).await
    }
}
