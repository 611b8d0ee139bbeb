//! Legal documents (chỉ thị, kết luận, quyết định, thông tư, …) that programs, training topics and
//! criteria checklists refer to. A document may be superseded by a later one.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE legal_document (
    id {id},
    owner_id BIGINT NOT NULL REFERENCES organisation (id),
    number TEXT NOT NULL,
    doc_type TEXT NOT NULL CHECK (doc_type IN ('DIRECTIVE', 'CONCLUSION', 'RESOLUTION',
        'DECISION', 'CIRCULAR', 'DECREE', 'GUIDANCE', 'OFFICIAL_LETTER')),
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on {date} NOT NULL,
    effective_on {date},
    superseded_by_id BIGINT REFERENCES legal_document (id),
    summary TEXT,
    url TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (effective_on IS NULL OR effective_on >= issued_on),
    CHECK (superseded_by_id IS NULL OR superseded_by_id <> id)
);
CREATE UNIQUE INDEX legal_document_number_key ON legal_document (number);
CREATE INDEX legal_document_issued_idx ON legal_document (issued_on, id);
CREATE INDEX legal_document_title_idx ON legal_document (title_search);
CREATE INDEX legal_document_superseded_idx ON legal_document (superseded_by_id);
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
        dialect::drop_tables(manager, &["legal_document"]).await
    }
}
