//! Organisations: the association tree and the partner bodies' trees, with a stored ancestor path.
//!
//! `path` holds the ids from the root down to the row itself, e.g. `/1/5/23/`. Everything in the
//! subtree of an organisation whose path is `P` satisfies `path >= P AND path < P'`, where `P'` is
//! `P` with its final `/` replaced by `0` (the next byte): one range scan of
//! `organisation_path_key`, on both databases (byte-order collation on PostgreSQL).

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE organisation (
    id {id},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    name_search TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('CENTRAL', 'PROVINCIAL', 'COMMUNE', 'LOCAL_BRANCH',
        'LEARNING_BOARD', 'PARTNER_BODY', 'PARTNER_UNIT')),
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ARCHIVED', 'MERGED')),
    parent_id BIGINT REFERENCES organisation (id),
    path {path} NOT NULL,
    depth INTEGER NOT NULL CHECK (depth >= 0),
    merged_into_id BIGINT REFERENCES organisation (id),
    address TEXT,
    email TEXT,
    phone TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((status = 'MERGED') = (merged_into_id IS NOT NULL)),
    CHECK ((parent_id IS NULL) = (depth = 0)),
    CHECK (merged_into_id IS NULL OR merged_into_id <> id)
);
CREATE UNIQUE INDEX organisation_code_key ON organisation (code);
CREATE INDEX organisation_path_key ON organisation (path);
CREATE INDEX organisation_parent_idx ON organisation (parent_id, name_search, id);
CREATE INDEX organisation_name_idx ON organisation (name_search, id);
CREATE INDEX organisation_kind_idx ON organisation (kind, id);
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
        dialect::drop_tables(manager, &["organisation"]).await
    }
}
